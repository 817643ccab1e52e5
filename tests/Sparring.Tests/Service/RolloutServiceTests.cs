using System.Text.Json.Nodes;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Llm;
using Sparring.Rewards;
using Sparring.Service;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.Training;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Service;

public sealed class RolloutServiceTests
{
    [Fact]
    public async Task GroupAsync_SolvedAndTamperedAttempts_TamperedIsAFailureInRewardsSolveRateResultsAndRecords()
    {
        // Arrange: two graded attempts with token-level trajectories, the second graded tampered.
        using var work = new TempDirectory();
        var directory = Path.Combine(work.Path, "job-1", "bug-a");
        var attempts = new List<SolveAttempt>();
        foreach (var (n, solved, tampered) in new[] { (1, true, false), (2, false, true) })
        {
            var path = Path.Combine(directory, $"attempt-{n}", "trajectory.json");
            await TrajectoryFiles.SaveAsync(TokenTrajectory($"t{n}"), path);
            attempts.Add(new SolveAttempt { Attempt = n, Solved = solved, Tampered = tampered, Exit = AgentExit.Submitted, Turns = 1, Tokens = 3, TrajectoryPath = path });
        }

        var request = new RolloutRequest
        {
            Tasks = [new RolloutTask { Repo = "repo", Artifact = "artifact" }],
            Policy = new PolicyEndpoint { Url = "http://127.0.0.1:1/v1", Model = "m", Version = 3 },
            GroupSize = 2,
        };

        // Act
        var group = await RolloutService.GroupAsync(request, work.Path, directory, "job-1/bug-a", "bug-a", attempts, CancellationToken.None);
        var json = JsonNode.Parse(JsonSerializer.Serialize(group, ServiceJsonContext.Default.RolloutGroupResult))!;

        // Assert
        Assert.Equal([GradeOutcome.Solved, GradeOutcome.Tampered], group.Rollouts.Select(r => r.Outcome));
        Assert.Equal([1.0, -1.0], group.Rollouts.Select(r => r.Reward));
        Assert.Equal([true, false], group.Rollouts.Select(r => r.Solved));
        Assert.Equal(0.5, group.SolveRate);
        Assert.Equal(["solved", "tampered"], json["rollouts"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));
        var records = json["records"]!.AsArray().Select(r => ExportSchemas.Validated(r!.ToJsonString(), "rl-record.schema.json")).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(
            [("solved", 1.0), ("tampered", -1.0)],
            records.OrderBy(r => r["trajectory_id"]!.GetValue<string>(), StringComparer.Ordinal).Select(r => (r["outcome"]!.GetValue<string>(), r["reward"]!.GetValue<double>())));
    }

    [Fact]
    public async Task SubmitAsync_UnusableSettings_RefusedBeforeAnythingIsQueued()
    {
        // Arrange: a settings file for every repository (--config), bad in one of two ways.
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), artifactDirectory);
        var badKey = work.Write("bad-key.toml", "[env]\nCI = \"1\"\nsetup = [\"x\"]\n");
        var noParser = work.Write("no-parser.toml", "test-command = \"make check\"\n");
        var request = new RolloutRequest
        {
            Tasks = [new RolloutTask { Repo = Samples.Path(Samples.Python), Artifact = artifactDirectory }],
            Policy = new PolicyEndpoint { Url = "http://127.0.0.1:9/v1", Model = "m", Version = 0 },
            GroupSize = 1,
        };
        RolloutService Service(string config) =>
            new(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root, ConfigPath = config });

        // Act
        await using var first = Service(badKey);
        var typed = await Assert.ThrowsAsync<EnvironmentSettingsException>(() => first.SubmitAsync(request));
        await using var second = Service(noParser);
        var parser = await Assert.ThrowsAsync<ArgumentException>(() => second.SubmitAsync(request));
        var missing = Assert.Throws<FileNotFoundException>(() => new RolloutServiceOptions { WorkDirectory = work.Path, ConfigPath = Path.Combine(work.Path, "none.toml") }.Validate());

        // Assert
        Assert.Equal(badKey, typed.Path);
        Assert.Equal(3, typed.Line);
        Assert.Contains("[env] setup must be a string, got an array", typed.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot tell how to read the output of 'make check'", parser.Message, StringComparison.Ordinal);
        Assert.Contains("none.toml", missing.Message, StringComparison.Ordinal);
        Assert.Null(first.Get("job-000001"));
    }

    /// <summary>One model call with token ids and logprobs: enough for an <c>rl</c> record.</summary>
    private static Trajectory TokenTrajectory(string id) => new()
    {
        Id = id,
        Role = "solver",
        ActionFormat = "native",
        StartedAt = DateTimeOffset.UnixEpoch,
        Budgets = new TrajectoryBudgets(10, 100, 60, 5, 3),
        Messages =
        [
            new TrajectoryMessage { Role = "system", Content = "s" },
            new TrajectoryMessage
            {
                Role = "assistant",
                Content = "x",
                Turn = new ModelTurn { PromptTokenIds = [1, 2, 3], CompletionTokenIds = [10, 11], Logprobs = [new TokenLogprob("a", -0.5, 10), new TokenLogprob("b", -0.25, 11)] },
            },
        ],
    };
}
