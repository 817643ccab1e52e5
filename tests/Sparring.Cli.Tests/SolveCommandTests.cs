using System.Text.Json;
using Sparring.Artifacts;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class SolveCommandTests
{
    private static async Task<(BugArtifact Artifact, string Directory)> ArtifactAsync(TempDirectory dir)
    {
        var artifact = SampleArtifacts.For(Samples.Python);
        var path = Path.Combine(dir.Path, "bug");
        await BugArtifactFiles.SaveAsync(artifact, path);
        return (artifact, path);
    }

    private static ScriptedReply Repair(BugArtifact artifact) => ScriptedReply.ToolCall(
        "bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = $"git apply -R <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF" }));

    [Fact]
    public async Task Solve_TwoLlmAttemptsRecordedThenReplayed_SolvesBothTimesAndWritesTheReport()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (artifact, artifactDir) = await ArtifactAsync(dir);
        var recording = Path.Combine(dir.Path, "calls.jsonl");
        int live;
        string liveOut = Path.Combine(dir.Path, "live"), replayOut = Path.Combine(dir.Path, "replay");
        CliOutcome first;
        await using (var server = await ScriptedModelServer.StartAsync())
        {
            server.Enqueue(Repair(artifact), ScriptedReply.ToolCall("submit", "{}"), Repair(artifact), ScriptedReply.ToolCall("submit", "{}"));

            // Act
            first = await CliRunner.RunAsync(
                "solve", Samples.Path(Samples.Python), artifactDir, "--model-url", server.Endpoint.ToString(), "--model", server.Model,
                "--attempts", "2", "--out", liveOut, "--record", recording);
            live = server.Requests.Count;
        }

        var replay = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--replay", recording, "--attempts", "2", "--out", replayOut, "--json");

        // Assert
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(4, live);
        Assert.Contains("attempt 1  SOLVED  exit submitted  2 turns", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("solve rate 2/2 = 1", first.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(liveOut, "attempt-2", "trajectory.json")));
        Assert.True(File.Exists(Path.Combine(liveOut, "attempt-2", BugArtifactFiles.PredPatch)));
        Assert.Equal(0, replay.ExitCode);
        using var json = JsonDocument.Parse(replay.Stdout);
        Assert.Equal(1.0, json.RootElement.GetProperty("solveRate").GetDouble());
        Assert.Equal(2, json.RootElement.GetProperty("attempts").GetArrayLength());
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(liveOut, "attempt-1", BugArtifactFiles.PredPatch)),
            await File.ReadAllTextAsync(Path.Combine(replayOut, "attempt-1", BugArtifactFiles.PredPatch)));
        Assert.True(File.Exists(Path.Combine(replayOut, "solve.json")));
        var recorded = await Sparring.Agents.TrajectoryFiles.LoadAsync(Path.Combine(liveOut, "attempt-1", "trajectory.json"));
        var replayed = await Sparring.Agents.TrajectoryFiles.LoadAsync(Path.Combine(replayOut, "attempt-1", "trajectory.json"));
        Assert.Equal(recorded.Messages.Select(m => (m.Role, m.Content, m.ToolName)), replayed.Messages.Select(m => (m.Role, m.Content, m.ToolName)));
        Assert.Equal(
            recorded.Messages.Where(m => m.Turn is not null).SelectMany(m => m.Turn!.CompletionTokenIds!),
            replayed.Messages.Where(m => m.Turn is not null).SelectMany(m => m.Turn!.CompletionTokenIds!));
        Assert.Equal(recorded.Exit, replayed.Exit);
    }

    [Fact]
    public async Task Solve_SearchSolver_SolvesWithoutAModel()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--solver", "search", "--out", Path.Combine(dir.Path, "out"), "--json");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("search", json.RootElement.GetProperty("solver").GetString());
        var attempt = json.RootElement.GetProperty("attempts")[0];
        Assert.True(attempt.GetProperty("solved").GetBoolean());
        Assert.True(File.Exists(attempt.GetProperty("patch").GetString()));
        Assert.Equal("solved", attempt.GetProperty("outcome").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("tampered").GetInt32());
    }

    [Fact]
    public async Task Solve_SimilarityReward_EachAttemptCarriesSweRlsScoreOfItsPatch()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (artifact, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--solver", "search", "--reward", "similarity", "--out", Path.Combine(dir.Path, "out"), "--json");
        var binary = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--solver", "search", "--out", Path.Combine(dir.Path, "binary"), "--json");

        // Assert: the reward is the one the library computes from the same patch, against the original tree.
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("similarity", json.RootElement.GetProperty("reward").GetString());
        var attempt = json.RootElement.GetProperty("attempts")[0];
        var patch = await File.ReadAllTextAsync(attempt.GetProperty("patch").GetString()!);
        var expected = await Sparring.Rewards.SimilarityReward.ScoreAsync(artifact, patch, Sparring.Rewards.SimilarityReward.FromTree(Samples.Path(Samples.Python)));
        Assert.Null(expected.Problem);
        Assert.InRange(expected.Reward, 0.0, 1.0);
        Assert.Equal(expected.Reward, attempt.GetProperty("reward").GetDouble(), 12);
        Assert.Contains(FormattableString.Invariant($"reward {expected.Reward:0.####}"), outcome.Stderr, StringComparison.Ordinal);
        using var plain = JsonDocument.Parse(binary.Stdout);
        Assert.Equal("binary", plain.RootElement.GetProperty("reward").GetString());
        Assert.Equal(1.0, plain.RootElement.GetProperty("attempts")[0].GetProperty("reward").GetDouble());
    }

    [Fact]
    public async Task Solve_AnUnknownReward_ExitsTwoNamingTheChoices()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--solver", "search", "--reward", "vibes", "--out", Path.Combine(dir.Path, "out"));

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--reward must be binary or similarity, got 'vibes'", outcome.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public async Task Solve_TestWriterRole_AReproducingTestRewardsOneAnAlwaysPassingOneZero()
    {
        // Arrange: the first writer adds the fix commit's regression test back under a new name; the second a test that
        // passes whatever the code does. The first also edits the source, which is discarded.
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);
        const string Reproduce = "cat >> tests/test_reports.py <<'EOF'\n\n\ndef test_generated_threshold(shop):\n    ledger, _ = shop\n    assert reports.low_stock(ledger, threshold=3) == [(\"SOAP\", 3)]\nEOF\necho '# touched' >> inventory/reports.py";
        const string Always = "printf 'def test_generated_always():\\n    assert True\\n' > tests/test_generated.py";
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = Reproduce })), ScriptedReply.ToolCall("submit", "{}"),
            ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = Always })), ScriptedReply.ToolCall("submit", "{}"));
        var output = Path.Combine(dir.Path, "out");

        // Act
        var outcome = await CliRunner.RunAsync(
            "solve", Samples.Path(Samples.Python), artifactDir, "--role", "test-writer", "--model-url", server.Endpoint.ToString(), "--model", server.Model,
            "--attempts", "2", "--out", output, "--json");

        // Assert
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("test-writer", json.RootElement.GetProperty("role").GetString());
        Assert.Equal("fail-to-pass", json.RootElement.GetProperty("reward").GetString());
        var attempts = json.RootElement.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1.0, 0.0], attempts.Select(a => a.GetProperty("reward").GetDouble()));
        Assert.StartsWith("fail→pass", attempts[0].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("does not fail on the broken tree", attempts[1].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        var test = await File.ReadAllTextAsync(Path.Combine(output, "attempt-1", "generated_test.diff"));
        Assert.Contains("test_generated_threshold", test, StringComparison.Ordinal);
        Assert.DoesNotContain("inventory/reports.py", test, StringComparison.Ordinal);
        Assert.Contains("attempt 1  REPRODUCES", outcome.Stderr, StringComparison.Ordinal);
        var prompt = server.Requests[0].RootElement.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString();
        Assert.Contains("write a test that reproduces it", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("restores tests that were removed", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("test_low_stock_includes_items_exactly_at_the_threshold(shop)", prompt, StringComparison.Ordinal);
        var trajectory = await Sparring.Agents.TrajectoryFiles.LoadAsync(Path.Combine(output, "attempt-1", "trajectory.json"));
        Assert.Equal("test-writer", trajectory.Role);
    }

    [Theory]
    [InlineData("--solver", "search", "needs an LLM agent")]
    [InlineData("--reward", "similarity", "a test writer's reward is fail→pass")]
    public async Task Solve_TestWriterWithASolversOption_ExitsTwo(string option, string value, string message)
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--role", "test-writer", option, value, "--model-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", Path.Combine(dir.Path, "out"));

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Solve_NothingListeningAtTheModelUrl_ExitsFourNamingTheUrl()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);
        string url;
        await using (var server = await ScriptedModelServer.StartAsync())
        {
            url = server.Endpoint.ToString();
        }

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--model-url", url, "--model", "m", "--attempts", "8", "--out", Path.Combine(dir.Path, "out"), "--json");

        // Assert
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("Unreachable", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains(new Uri(url).Authority, outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(outcome.Stdout).RootElement.GetProperty("exitCode").GetInt32());
        Assert.DoesNotContain("attempt 2", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Solve_WrongModelName_ExitsFourListingTheServedModel()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);
        await using var server = await ScriptedModelServer.StartAsync();

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--model-url", server.Endpoint.ToString(), "--model", "gpt-typo", "--out", Path.Combine(dir.Path, "out"));

        // Assert
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("gpt-typo", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains(server.Model, outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--attempts", "0", "--attempts must be at least 1")]
    [InlineData("--solver", "psychic", "--solver must be llm or search")]
    [InlineData("--action-format", "xml", "--action-format must be native or text")]
    public async Task Solve_BadOption_ExitsTwoBeforeRunningAnything(string option, string value, string message)
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir, "--model-url", "http://127.0.0.1:9/v1", "--model", "m", option, value);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("setup:", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Solve_LlmWithoutModelUrl_ExitsTwoSayingWhatIsNeeded()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (_, artifactDir) = await ArtifactAsync(dir);

        // Act
        var outcome = await CliRunner.RunAsync("solve", Samples.Path(Samples.Python), artifactDir);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--model-url", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parent")]
    [InlineData("absolute")]
    [InlineData("link")]
    public async Task Solve_TestFilesNamePathOutsideTheRepository_ExitsTwoWithOneLineAndTouchesNothing(string form)
    {
        // Arrange
        using var escaping = await EscapingArtifact.CreateAsync(form);
        var output = Path.Combine(escaping.Work, "out");

        // Act
        var outcome = await CliRunner.RunAsync("solve", escaping.Repository, escaping.ArtifactDirectory, "--solver", "search", "--out", output);

        // Assert: refused before any attempt.
        escaping.AssertRefused(outcome);
        Assert.False(Directory.Exists(Path.Combine(output, "attempt-1")));
    }
}
