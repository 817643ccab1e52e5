using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class RolloutGroupTests
{
    [Fact]
    public void Partition_InterleavedRollouts_GroupsInFirstSeenOrder()
    {
        // Arrange
        var a1 = TrainingSamples.Rollout(1, "t-a", "ga");
        var b1 = TrainingSamples.Rollout(0, "t-b", "gb");
        var a2 = TrainingSamples.Rollout(0, "t-a", "ga");

        // Act
        var groups = RolloutGroup.Partition([a1, b1, a2]);

        // Assert
        Assert.Equal(["ga", "gb"], groups.Select(g => g.GroupId));
        Assert.Equal("t-a", groups[0].TaskId);
        Assert.Equal([a1, a2], groups[0].Rollouts);
        Assert.Equal([b1], groups[1].Rollouts);
        Assert.Empty(RolloutGroup.Partition([]));
    }

    [Fact]
    public void Partition_GroupSpanningTwoTasks_Throws()
    {
        // Arrange
        var a = TrainingSamples.Rollout(1, "t-a", "g");
        var b = TrainingSamples.Rollout(1, "t-b", "g");

        // Act
        var error = Assert.Throws<ArgumentException>(() => RolloutGroup.Partition([a, b]));

        // Assert
        Assert.Contains("'t-a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'t-b'", error.Message, StringComparison.Ordinal);
    }
}
