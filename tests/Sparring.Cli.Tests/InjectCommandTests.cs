using System.Text.Json;
using Sparring.Artifacts;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class InjectCommandTests
{
    [Fact]
    public async Task Inject_HistoryTwiceWithTheSameSeed_WritesIdenticalArtifactsThatValidate()
    {
        // Arrange
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var repo = Samples.Path(Samples.Python);

        // Act
        var one = await CliRunner.RunAsync("inject", repo, "--strategy", "history", "--count", "1", "--seed", "5", "--out", first.Path);
        var two = await CliRunner.RunAsync("inject", repo, "--strategy", "history", "--count", "1", "--seed", "5", "--out", second.Path, "--json");
        var validate = await CliRunner.RunAsync("validate", repo, Path.Combine(first.Path, "history-1"));

        // Assert
        Assert.Equal(0, one.ExitCode);
        Assert.Matches(@"history\s+1\s+1\s+\d+\.\d", one.Stdout);
        Assert.Contains("1 valid artifact(s)", one.Stdout, StringComparison.Ordinal);
        Assert.Contains("sparring: inject: baseline:", one.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, two.ExitCode);
        using var json = JsonDocument.Parse(two.Stdout);
        var yield = json.RootElement.GetProperty("strategies")[0];
        Assert.Equal("history", yield.GetProperty("strategy").GetString());
        Assert.Equal(1, yield.GetProperty("valid").GetInt32());
        Assert.Equal(["history-1"], json.RootElement.GetProperty("artifacts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("\nVALID\n", validate.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var written = Directory.GetFiles(Path.Combine(first.Path, "history-1")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(BugArtifactFiles.Metadata, written);
        foreach (var name in written)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first.Path, "history-1", name!)), await File.ReadAllBytesAsync(Path.Combine(second.Path, "history-1", name!)));
        }

        // The timings live beside the artifacts, not in them.
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(first.Path, "inject-report.json")));
        Assert.Equal(["history-1"], report.RootElement.GetProperty("artifacts").EnumerateArray().Select(e => e.GetString()));
        Assert.True(report.RootElement.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task Inject_LlmPolicy_WritesTheValidArtifactTheAgentSubmittedWithItsYield()
    {
        // Arrange
        using var output = new TempDirectory();
        var artifact = SampleArtifacts.For(Samples.Python);
        var write = string.Join('\n', new[]
        {
            "mkdir -p .sparring-artifact && cd .sparring-artifact",
            $"cat > {BugArtifactFiles.BugInject} <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF",
            $"cat > {BugArtifactFiles.TestWeaken} <<'SPARRING_EOF'\n{artifact.TestWeakenDiff}SPARRING_EOF",
            $"cat > {BugArtifactFiles.TestFilesList} <<'SPARRING_EOF'\n{string.Join('\n', artifact.TestFiles)}\nSPARRING_EOF",
            $"cat > {BugArtifactFiles.TestScript} <<'SPARRING_EOF'\n{artifact.TestScript}SPARRING_EOF",
        });
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            ScriptedReply.Text("<tool: bash>\n" + write + "\n</tool>"),
            ScriptedReply.Text("<tool: submit>\n</tool>"));

        // Act
        var outcome = await CliRunner.RunAsync(
            "inject", Samples.Path(Samples.Python), "--policy", "llm", "--strategy", "history", "--count", "1", "--max-candidates", "1",
            "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--action-format", "text", "--out", output.Path);

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"agent-history\s+1\s+1", outcome.Stdout);
        var written = await BugArtifactFiles.LoadAsync(Path.Combine(output.Path, "agent-history-1"));
        Assert.True(written.Metadata.Validation!.Valid);
        Assert.True(File.Exists(Path.Combine(output.Path, "attempts", "history-1", "trajectory.json")));
        Assert.True(File.Exists(Path.Combine(output.Path, "inject-report.json")));
    }

    [Fact]
    public async Task Inject_LlmPolicyWithProceduralStrategy_ExitsTwo()
    {
        // Act
        var outcome = await CliRunner.RunAsync("inject", Samples.Path(Samples.Python), "--policy", "llm", "--strategy", "mutation", "--model-url", "http://127.0.0.1:9/v1", "--model", "m");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("'mutation' for --policy llm", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_UnknownStrategy_ExitsTwoBeforePreparingAnything()
    {
        // Arrange
        using var output = new TempDirectory();

        // Act
        var outcome = await CliRunner.RunAsync("inject", Samples.Path(Samples.Python), "--strategy", "history,telepathy", "--out", output.Path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("'telepathy'", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("setup:", outcome.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public async Task Inject_SuiteWithNoPassingTest_ExitsThreeWithTheReasonWhyAndTry()
    {
        // Arrange
        using var repo = EmptyWorkRepos.ImportFails();
        using var output = new TempDirectory();
        var artifacts = Path.Combine(output.Path, "bugs");

        // Act
        var text = await CliRunner.RunAsync("inject", repo.Path, "--out", artifacts);
        var json = await CliRunner.RunAsync("inject", repo.Path, "--out", artifacts, "--json");

        // Assert
        Assert.Equal(3, text.ExitCode);
        var lines = text.Stderr.Split('\n');
        var error = Array.FindIndex(lines, l => l.StartsWith("sparring: error: ", StringComparison.Ordinal));
        Assert.StartsWith("sparring: error: No test passes on the original tree (1 result(s): 0 failed, 1 error, 0 skipped)", lines[error], StringComparison.Ordinal);
        Assert.Equal("why: the Python module 'sparring_absent_module' is not installed", lines[error + 1]);
        Assert.Contains("     E   ModuleNotFoundError: No module named 'sparring_absent_module'", lines);
        Assert.Contains(lines, l => l.StartsWith("try: apt-get install python3-sparring-absent-module", StringComparison.Ordinal));
        Assert.DoesNotContain("internal error", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("     ImportError while importing test module '/repo/test_stock.py'.", lines);
        Assert.Equal("", text.Stdout);
        Assert.False(Directory.Exists(artifacts));
        Assert.Equal(3, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(3, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("missing-module", document.RootElement.GetProperty("diagnosis").GetProperty("kind").GetString());
        Assert.StartsWith("apt-get install python3-sparring-absent-module", document.RootElement.GetProperty("diagnosis").GetProperty("suggestion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_LlmPolicyOnASuiteWithNoPassingTest_ExitsThreeBeforeAnyModelCall()
    {
        // Arrange
        using var repo = EmptyWorkRepos.ImportFails();
        using var output = new TempDirectory();
        await using var server = await ScriptedModelServer.StartAsync();

        // Act
        var outcome = await CliRunner.RunAsync("inject", repo.Path, "--policy", "llm", "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", output.Path);

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("sparring: error: No test passes on the original tree", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("\nwhy: the Python module 'sparring_absent_module' is not installed\n", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.RootElement.TryGetProperty("messages", out _));
        Assert.False(Directory.Exists(Path.Combine(output.Path, "attempts")));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    public async Task Inject_MinParsedShareOutsideZeroToOne_ExitsTwo(string share)
    {
        // Act
        var outcome = await CliRunner.RunAsync("inject", Samples.Path(Samples.Python), "--min-parsed-share", share);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("minimum parsed share must be between 0 and 1", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_CountZero_ExitsTwo()
    {
        // Act
        var outcome = await CliRunner.RunAsync("inject", Samples.Path(Samples.Python), "--count", "0", "--json");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("count must be at least 1", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(outcome.Stdout).RootElement.GetProperty("exitCode").GetInt32());
    }
}
