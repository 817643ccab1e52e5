using Sparring.Training;

namespace Sparring.Tests.Training;

/// <summary>Builders and assertions shared by the training tests.</summary>
internal static class TrainingSamples
{
    public static Rollout Rollout(
        double reward = 1,
        string task = "task-1",
        string group = "g1",
        int version = 0,
        string stop = "submitted",
        int steps = 10,
        int tokens = 1000) =>
        new()
        {
            TaskId = task,
            GroupId = group,
            Reward = reward,
            PolicyVersion = version,
            StopReason = new StopReason(stop),
            Steps = steps,
            Tokens = tokens,
        };

    public static RolloutGroup Group(string id, params double[] rewards) =>
        new() { GroupId = id, TaskId = "task-" + id, Rollouts = [.. rewards.Select(r => Rollout(r, "task-" + id, id))] };

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, int precision = 12)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i], precision);
        }
    }
}
