using Sparring.Agents;
using Sparring.Llm;
using Sparring.Store;
using Sparring.Training;
using Sparring.TestUtilities;

namespace Sparring.Tests.Training;

public sealed class RunExporterInjectorTests
{
    private static Trajectory Injector(string id, bool valid, string artifact) => new()
    {
        Id = id,
        Role = "injector",
        ActionFormat = "native",
        StartedAt = DateTimeOffset.UnixEpoch,
        Budgets = new TrajectoryBudgets(10, 100, 60, 5, 3),
        Exit = AgentExit.Submitted,
        Turns = 1,
        Messages =
        [
            new TrajectoryMessage { Role = "system", Content = "s" },
            new TrajectoryMessage { Role = "user", Content = "inject a bug" },
            new TrajectoryMessage
            {
                Role = "assistant",
                Content = "",
                ToolCalls = [new TrajectoryToolCall("call_1", "submit", "{}")],
                Turn = new ModelTurn { PromptTokenIds = [1, 2], CompletionTokenIds = [3, 4, 5], Logprobs = [new("a", -1, 3), new("b", -2, 4), new("c", -3, 5)] },
            },
        ],
        Outcome = new Dictionary<string, string>(StringComparer.Ordinal) { ["valid"] = valid ? "true" : "false", ["artifact"] = artifact },
    };

    [Fact]
    public async Task ExportAsync_InjectorEpisodes_RewardedByTheirBugsAndGroupedByRoundAndStrategy()
    {
        // Arrange: round 1 has a valid episode (its bug's injector reward is 0.64) and an invalid one; round 2's valid
        // episode's bug has no reward yet (its attempts are still running).
        using var run = new TempDirectory();
        await using (var store = await SqliteRunStore.OpenAsync(run.Path))
        {
            await store.SetMetaOnceAsync(RunMetaKeys.PolicyVersion, "3");
            await store.CommitRoundAsync(new RoundRecord(1, "{}", 1), [new ArtifactRecord("r1-agent-removal-1", 1, "agent", 1, "rounds/1/bugs/agent-removal-1", null)]);
            await store.CommitRewardAsync(new RewardRecord("r1-agent-removal-1", 0.2, 0.64));
            await store.CommitRoundAsync(new RoundRecord(2, "{}", 1), [new ArtifactRecord("r2-agent-removal-1", 2, "agent", 1, "rounds/2/bugs/agent-removal-1", null)]);
        }

        await TrajectoryFiles.SaveAsync(Injector("a", valid: true, "agent-removal-1"), Path.Combine(run.Path, "rounds/1/bugs/attempts/removal-1/trajectory.json"));
        await TrajectoryFiles.SaveAsync(Injector("b", valid: false, ""), Path.Combine(run.Path, "rounds/1/bugs/attempts/removal-2/trajectory.json"));
        await TrajectoryFiles.SaveAsync(Injector("c", valid: true, "agent-removal-1"), Path.Combine(run.Path, "rounds/2/bugs/attempts/removal-1/trajectory.json"));
        using var output = new TempDirectory();

        // Act
        var rl = await RunExporter.ExportAsync(run.Path, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path });
        var records = ExportSchemas.LoadValidated(Path.Combine(output.Path, "rl.jsonl"), "rl-record.schema.json");
        var sft = await RunExporter.ExportAsync(run.Path, new RunExportOptions { Format = RunExporter.Sft, OutputDirectory = output.Path, Roles = new HashSet<string> { "injector" } });

        // Assert: rewards {0.64, −1}: mean −0.18, population std 0.82, GRPO A = ±0.82 / (0.82 + 1e-6).
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal("injector/r1-inject-removal", r["uid"]!.GetValue<string>()));
        Assert.Equal([0.64, -1.0], records.Select(r => r["reward"]!.GetValue<double>()));
        Assert.Equal(0.82 / (0.82 + 1e-6), records[0]["advantage"]!.GetValue<double>(), precision: 9);
        Assert.Equal(-0.82 / (0.82 + 1e-6), records[1]["advantage"]!.GetValue<double>(), precision: 9);
        Assert.All(records, r => Assert.Equal(3, r["policy_version"]!.GetValue<int>()));
        Assert.All(records, r => Assert.True(r.AsObject().ContainsKey("outcome") && r["outcome"] is null, "an injector rollout is not graded: outcome null"));
        Assert.Equal([3, 4, 5], records[0]["response_ids"]!.AsArray().Select(x => x!.GetValue<int>()));
        Assert.Equal(1, rl.Skipped["reward-pending"]);
        Assert.Equal(3, rl.Candidates);
        Assert.Equal(1, sft.Records);
        Assert.Equal(1, sft.Skipped["not-valid"]);
    }
}
