using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Sparring.Agents;
using Sparring.Store;
using Sparring.Training;
using Sparring.TestUtilities;

namespace Sparring.Tests.Training;

[Collection(LlmRunGroup.Name)]
public sealed class RunExporterTests(LlmRunFixture run)
{
    private async Task<Trajectory> TrajectoryAsync(string relative) => await TrajectoryFiles.LoadAsync(Path.Combine(run.RunDirectory, relative));

    [Fact]
    public async Task ExportAsync_Rl_OneLinePerRolloutWithTheTokensRewardsAndHandComputedAdvantages()
    {
        // Arrange
        using var output = new TempDirectory();

        // Act
        var manifest = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path });
        var records = ExportSchemas.LoadValidated(Path.Combine(output.Path, "rl.jsonl"), "rl-record.schema.json");

        // Assert
        Assert.Equal(1, run.Summary.Solved);
        Assert.Equal(2, records.Count);
        Assert.Equal(2, manifest.Records);
        Assert.Equal(1, manifest.Groups);
        Assert.Equal(LlmRunFixture.PolicyVersion, manifest.PolicyVersion);
        Assert.True(File.Exists(Path.Combine(output.Path, "rl.manifest.json")));
        foreach (var record in records)
        {
            var trajectory = await TrajectoryAsync(record["trajectory_id"]!.GetValue<string>());
            var turns = trajectory.Messages.Where(m => m.Role == "assistant").Select(m => m.Turn!).ToList();
            var solved = trajectory.Outcome!["solved"] == "true";
            var reward = record["reward"]!.GetValue<double>();
            Assert.Equal(solved ? 1.0 : -1.0, reward);
            Assert.Equal(solved ? "solved" : "unsolved", record["outcome"]!.GetValue<string>());
            Assert.Equal(record["outcome"]!.GetValue<string>(), trajectory.Outcome!["outcome"]);

            // GRPO over {+1, −1}: mean 0, population std 1, so A = r / (1 + 1e-6).
            Assert.Equal(reward / (1 + 1e-6), record["advantage"]!.GetValue<double>(), precision: 12);
            Assert.Equal(LlmRunFixture.PolicyVersion, record["policy_version"]!.GetValue<int>());
            Assert.True("submitted" == record["stop_reason"]!.GetValue<string>(), trajectory.ExitDetail);
            Assert.Equal("token-mean", record["loss_agg_mode"]!.GetValue<string>());
            Assert.Equal(1, record["segments"]!.GetValue<int>());

            // Token in, token out: the prompt is the first call's, the model's tokens are masked 1 with their logprobs,
            // everything between calls is masked 0, and the whole sequence is the last call's prompt plus its completion.
            var mask = record["loss_mask"]!.AsArray().Select(x => x!.GetValue<int>()).ToList();
            var response = record["response_ids"]!.AsArray().Select(x => x!.GetValue<int>()).ToList();
            var logprobs = record["rollout_logprobs"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();
            Assert.Equal(turns[0].PromptTokenIds, record["prompt_token_ids"]!.AsArray().Select(x => x!.GetValue<int>()));
            Assert.Equal(turns.Sum(t => t.CompletionTokenIds!.Count), mask.Count(m => m == 1));
            Assert.Equal([.. turns[^1].PromptTokenIds!, .. turns[^1].CompletionTokenIds!], [.. turns[0].PromptTokenIds!, .. response]);
            Assert.Equal(turns.SelectMany(t => t.Logprobs!.Select(l => l.Logprob)), logprobs.Where((_, i) => mask[i] == 1));
            Assert.All(logprobs.Where((_, i) => mask[i] == 0), l => Assert.Equal(0, l));
            Assert.Equal(response.Count, mask.Count);
        }
    }

    [Fact]
    public async Task ExportAsync_RlWithTheSimilarityReward_TheExactRepairScoresOneTheUnrelatedEditZeroAndTamperingMinusOne()
    {
        // Arrange: the solved attempt reverses the bug's diff exactly; the other only appends to README.md, which the fix
        // does not touch. A copy of the run has that attempt graded tampered.
        using var output = new TempDirectory();
        using var copy = new TempDirectory();
        CopyRunWithTheUnsolvedAttemptTampered(run.RunDirectory, copy.Path);

        // Act
        var manifest = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "plain"), Reward = "similarity" });
        var tampered = await RunExporter.ExportAsync(copy.Path, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "tampered"), Reward = "similarity" });
        var records = ExportSchemas.LoadValidated(Path.Combine(output.Path, "plain", "rl.jsonl"), "rl-record.schema.json");
        var tamperedRecords = ExportSchemas.LoadValidated(Path.Combine(output.Path, "tampered", "rl.jsonl"), "rl-record.schema.json");

        // Assert: GRPO over {1, 0}: mean 1/2, population std 1/2.
        Assert.Equal("similarity", manifest.Reward);
        Assert.Equal([("solved", 1.0), ("unsolved", 0.0)], records.Select(r => (r["outcome"]!.GetValue<string>(), r["reward"]!.GetValue<double>())).Order());
        Assert.All(records, r => Assert.Equal((r["reward"]!.GetValue<double>() - 0.5) / (0.5 + 1e-6), r["advantage"]!.GetValue<double>(), 12));
        Assert.Equal(2, manifest.Decisions.Count(d => d.StartsWith("similarity: ", StringComparison.Ordinal)));
        Assert.Equal([("solved", 1.0), ("tampered", -1.0)], tamperedRecords.Select(r => (r["outcome"]!.GetValue<string>(), r["reward"]!.GetValue<double>())).Order());
        Assert.Contains(tampered.Decisions, d => d.Contains("-1 (tampered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportAsync_AnUnknownReward_IsRefusedBeforeAnythingIsWritten()
    {
        // Arrange
        using var output = new TempDirectory();

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path, Reward = "vibes" }));

        // Assert
        Assert.Contains("unknown reward 'vibes'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output.Path));
    }

    [Theory]
    [InlineData("rloo", 2.0)]
    [InlineData("drgrpo", 1.0)]
    public async Task ExportAsync_OtherEstimators_HandComputedAdvantages(string estimator, double magnitude)
    {
        // Arrange
        using var output = new TempDirectory();

        // Act
        await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path, Estimator = estimator, LossAggregation = LossAggregation.SeqMeanTokenSum });
        var records = ExportSchemas.LoadValidated(Path.Combine(output.Path, "rl.jsonl"), "rl-record.schema.json");

        // Assert: RLOO with G = 2 is r_i − r_j = ±2; Dr. GRPO is r_i − mean = ±1.
        Assert.All(records, r => Assert.Equal(magnitude * r["reward"]!.GetValue<double>(), r["advantage"]!.GetValue<double>()));
        Assert.All(records, r => Assert.Equal(estimator, r["adv_estimator"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal("seq-mean-token-sum", r["loss_agg_mode"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ExportAsync_RolloutsTooStale_NothingWrittenAndEveryRolloutCounted()
    {
        // Arrange
        using var output = new TempDirectory();

        // Act: the trainer is at version 14, nine ahead of the run's 5 (the limit is 8).
        var manifest = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path, CurrentPolicyVersion = 14 });
        var atLimit = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = output.Path, CurrentPolicyVersion = 13 });

        // Assert
        Assert.Equal(0, manifest.Records);
        Assert.Equal(2, manifest.Skipped["staleness"]);
        Assert.Contains(manifest.Decisions, d => d.Contains("9 policy versions behind", StringComparison.Ordinal));
        Assert.Equal(2, atLimit.Records);
    }

    [Fact]
    public async Task ExportAsync_BugLargerThanTheTaskSizeLimits_LeftOutWithItsAttemptsAndCounted()
    {
        // Arrange
        using var output = new TempDirectory();
        var tooSmall = new TaskSizeOptions { ChangedLinesLimit = 1 };

        // Act
        var rl = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "rl"), TaskSize = tooSmall });
        var swebench = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.SweBench, OutputDirectory = Path.Combine(output.Path, "swebench"), TaskSize = tooSmall });
        var roomy = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "roomy"), TaskSize = new TaskSizeOptions() });

        // Assert: the run's one bug goes, with both of its solver attempts; the spec's limits keep it.
        Assert.Equal(0, rl.Records);
        Assert.Equal(2, rl.Skipped["task-size"]);
        Assert.Equal(2, rl.Candidates);
        Assert.Contains(rl.Decisions, d => d.StartsWith("task-size: ", StringComparison.Ordinal) && d.Contains("changed lines", StringComparison.Ordinal));
        Assert.Empty(File.ReadAllText(Path.Combine(output.Path, "rl", "rl.jsonl")));
        Assert.Equal(0, swebench.Records);
        Assert.Equal(1, swebench.Skipped["task-size"]);
        Assert.Equal(2, roomy.Records);
        Assert.False(roomy.Skipped.ContainsKey("task-size"));
    }

    [Fact]
    public async Task ExportAsync_Curriculum_KeepsTheBugsItChoosesFromTheirSolveRatesAndCountsTheRest()
    {
        // Arrange: the run's one bug was solved in 1 of its 2 attempts (s = 0.5).
        using var output = new TempDirectory();
        var strict = Curricula.Nebius(new NebiusCurriculumOptions { MaxSolveRate = 0.4 });

        // Act
        var kept = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "kept"), Curriculum = Curricula.ByName("nebius") });
        var dropped = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.SweBench, OutputDirectory = Path.Combine(output.Path, "dropped"), Curriculum = strict, CurriculumStep = 3 });

        // Assert
        Assert.Equal(2, kept.Records);
        Assert.False(kept.Skipped.ContainsKey("curriculum"));
        Assert.Equal(0, dropped.Records);
        Assert.Equal(1, dropped.Skipped["curriculum"]);
        Assert.Contains(dropped.Decisions, d => d.StartsWith("curriculum: ", StringComparison.Ordinal) && d.EndsWith("nebius at step 3 did not choose it (solved 1 of 2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportAsync_Sft_TheSolvedTrajectoryWithTheMalformedTurnWeightedZero()
    {
        // Arrange
        using var output = new TempDirectory();

        // Act
        var manifest = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.Sft, OutputDirectory = output.Path });
        var examples = ExportSchemas.LoadValidated(Path.Combine(output.Path, "sft.jsonl"), "sft-example.schema.json");

        // Assert
        var example = Assert.Single(examples);
        Assert.Equal(1, manifest.Skipped["not-solved"]);
        var messages = example["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("user", messages[1]!["role"]!.GetValue<string>());
        var assistants = messages.Where(m => m!["role"]!.GetValue<string>() == "assistant").ToList();
        Assert.Equal(3, assistants.Count);
        Assert.Equal([0, 1, 1], assistants.Select(a => a!["weight"]!.GetValue<int>()));
        Assert.Equal("teleport", assistants[0]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("submit", assistants[2]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());

        // Each tool answer follows the call it answers.
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i]!["role"]!.GetValue<string>() == "tool")
            {
                var calls = messages[i - 1]!["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>());
                Assert.Contains(messages[i]!["tool_call_id"]!.GetValue<string>(), calls);
            }
        }

        var tools = example["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("bash", tools);
        Assert.Contains("submit", tools);
        Assert.False(example["parallel_tool_calls"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExportAsync_SameRunTwice_ByteIdenticalFiles()
    {
        // Arrange
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        // Act
        foreach (var format in RunExporter.Formats)
        {
            await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = format, OutputDirectory = Path.Combine(first.Path, format) });
            await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = format, OutputDirectory = Path.Combine(second.Path, format) });
        }

        // Assert
        foreach (var file in new[] { "rl/rl.jsonl", "rl/rl.manifest.json", "sft/sft.jsonl", "swebench/swebench.jsonl", "swebench/predictions/attempt-1.jsonl", "swebench/swebench.manifest.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)), File.ReadAllBytes(Path.Combine(second.Path, file)));
        }
    }

    [Fact]
    public async Task ExportAsync_AttemptGradedTampered_RlSaysTamperedAndSftAndSweBenchDoNotTreatItAsASolution()
    {
        // Arrange: a copy of the run whose unsolved attempt is recorded as tampered (what the grader's canaries would say).
        using var copy = new TempDirectory();
        using var output = new TempDirectory();
        CopyRunWithTheUnsolvedAttemptTampered(run.RunDirectory, copy.Path);

        // Act
        var rl = await RunExporter.ExportAsync(copy.Path, new RunExportOptions { Format = RunExporter.Rl, OutputDirectory = Path.Combine(output.Path, "rl") });
        var sft = await RunExporter.ExportAsync(copy.Path, new RunExportOptions { Format = RunExporter.Sft, OutputDirectory = Path.Combine(output.Path, "sft") });
        var swebench = await RunExporter.ExportAsync(copy.Path, new RunExportOptions { Format = RunExporter.SweBench, OutputDirectory = Path.Combine(output.Path, "swebench") });
        var records = ExportSchemas.LoadValidated(Path.Combine(output.Path, "rl", "rl.jsonl"), "rl-record.schema.json");
        var predictions = Enumerable.Range(1, 2)
            .Select(n => Assert.Single(ExportSchemas.LoadValidated(Path.Combine(output.Path, "swebench", "predictions", $"attempt-{n}.jsonl"), "swebench-prediction.schema.json")))
            .ToList();
        await using var store = await SqliteRunStore.OpenReadOnlyAsync(copy.Path);
        var attempts = await store.AttemptsAsync();

        // Assert: rl carries the outcome with a failure's reward, so a trainer can penalise it.
        Assert.Equal(2, rl.Records);
        Assert.Equal([("solved", 1.0), ("tampered", -1.0)], records.Select(r => (r["outcome"]!.GetValue<string>(), r["reward"]!.GetValue<double>())).Order());
        Assert.All(records, r => Assert.Equal("solver", r["role"]!.GetValue<string>()));

        // sft: only the solved trajectory, the tampered one counted apart from not-solved.
        Assert.Equal(1, sft.Records);
        Assert.Equal(1, sft.Skipped["tampered"]);
        Assert.False(sft.Skipped.ContainsKey("not-solved"));

        // swebench: the tampered attempt's prediction has no patch (a harness without canaries could call it resolved).
        var tampered = Assert.Single(attempts, a => a.Tampered);
        Assert.NotNull(tampered.PatchPath);
        Assert.Equal("", predictions[tampered.Attempt - 1]["model_patch"]!.GetValue<string>());
        Assert.StartsWith("diff --git", predictions[2 - tampered.Attempt]["model_patch"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, swebench.Records);
        Assert.Contains(swebench.Decisions, d => d.StartsWith("tampered: ", StringComparison.Ordinal) && d.Contains($"attempt {tampered.Attempt}", StringComparison.Ordinal));
    }

    /// <summary>The run's files without its lock.</summary>
    /// <summary>A copy of the run whose unsolved attempt is recorded as tampered (what the grader's canaries would say).</summary>
    private static void CopyRunWithTheUnsolvedAttemptTampered(string from, string to)
    {
        CopyRun(from, to);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(to, SqliteRunStore.DatabaseFile)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE attempts SET outcome = 'tampered' WHERE solved = 0";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static void CopyRun(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == SqliteRunStore.LockFile)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
