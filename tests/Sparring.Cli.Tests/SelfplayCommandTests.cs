using System.Diagnostics;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class SelfplayCommandTests
{
    private static readonly string[] Small = ["--rounds", "1", "--bugs-per-round", "2", "--attempts", "3", "--budget", "2", "--max-candidates", "4", "--seed", "11"];

    [Fact]
    public async Task Selfplay_KilledAtRandomMoments_ResumesToTheTotalsOfAnUninterruptedRun()
    {
        // Arrange
        using var dir = new TempDirectory();
        string whole = Path.Combine(dir.Path, "whole"), killed = Path.Combine(dir.Path, "killed");
        var reference = await CliRunner.RunAsync(["selfplay", Samples.Path(Samples.Python), .. Small, "--out", whole, "--json"]);
        var progressLines = reference.Stderr.Split('\n').Count(l => l.StartsWith("sparring: selfplay:", StringComparison.Ordinal));
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var kills = new List<string>();

        // Act: start, kill -9 at a random progress line (plus a random moment into the next unit), resume and kill
        // again, then resume to the end.
        kills.Add(await StartAndKillAsync(["selfplay", Samples.Path(Samples.Python), .. Small, "--out", killed], random.Next(2, progressLines / 2), TimeSpan.FromMilliseconds(random.Next(0, 1500))));
        kills.Add(await StartAndKillAsync(["selfplay", "--resume", killed], random.Next(2, progressLines / 2), TimeSpan.FromMilliseconds(random.Next(0, 1500))));
        var resumed = await CliRunner.RunAsync("selfplay", "--resume", killed, "--json");

        // Assert
        var context = $"random seed {seed}; kills: {string.Join("; ", kills)}";
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        Assert.True(kills[0].Contains(" killed", StringComparison.Ordinal), context);
        Assert.True(resumed.ExitCode == 0, context + "\n" + resumed.Stderr);
        Assert.Equal(Totals(reference.Stdout), Totals(resumed.Stdout));
        using var summary = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(2, summary.RootElement.GetProperty("valid").GetInt32());
        Assert.Equal(6, summary.RootElement.GetProperty("attempts").GetInt32());
        Assert.True(File.Exists(Path.Combine(killed, "report.html")), context);
    }

    [Fact]
    public async Task Selfplay_RepositoryWithNoPassingTest_ExitsThreeWithTheReasonAndLeavesNoRun()
    {
        // Arrange: the only test module fails to import, so 0 tests pass.
        using var repo = EmptyWorkRepos.ImportFails();
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "run");

        // Act
        var outcome = await CliRunner.RunAsync(["selfplay", repo.Path, .. Small, "--out", path]);

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        var lines = outcome.Stderr.Split('\n');
        var error = Array.FindIndex(lines, l => l.StartsWith("sparring: error: ", StringComparison.Ordinal));
        Assert.True(error >= 0, outcome.Stderr);
        Assert.StartsWith("sparring: error: No test passes on the original tree", lines[error], StringComparison.Ordinal);
        Assert.Equal("why: the Python module 'sparring_absent_module' is not installed", lines[error + 1]);
        Assert.Contains(lines, l => l.StartsWith("try: apt-get install python3-sparring-absent-module", StringComparison.Ordinal));
        Assert.DoesNotContain("round 1", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal("", outcome.Stdout);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task Selfplay_RunOpenElsewhere_ExitsFourWithoutWriting()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "run");
        await using (var store = await SqliteRunStore.OpenAsync(path))
        {
            await store.SetMetaOnceAsync("arguments", JsonSerializer.Serialize(new[] { Samples.Path(Samples.Python) }));
        }

        await using var held = await SqliteRunStore.OpenAsync(path);

        // Act
        var outcome = await CliRunner.RunAsync("selfplay", "--resume", path);

        // Assert
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("open in another process", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selfplay_SearchBudgetOfOne_ExitsTwoBeforeAnyWork()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "run");

        // Act
        var outcome = await CliRunner.RunAsync("selfplay", Samples.Path(Samples.Python), "--budget", "1", "--out", path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("search budget must be at least 2", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("inject", outcome.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task Selfplay_ResumedAfterTheSettingsFileChanged_KeepsTheSettingsOfItsFirstStart()
    {
        // Arrange: a repository with nothing to inject, so the run is quick; its settings file is broken after the start.
        using var repo = new TempGitRepo();
        repo.Write("calc.py", "X = 1\n").Write("test_calc.py", "from calc import X\n\ndef test_x():\n    assert X == 1\n").Commit("x");
        repo.Write("sparring.toml", "[env]\nMARK = \"first\"\n");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "run");

        // Act
        var started = await CliRunner.RunAsync("selfplay", repo.Path, "--rounds", "1", "--out", path, "--env", "EXTRA=cli");
        repo.Write("sparring.toml", "bogus = true\n");
        var resumed = await CliRunner.RunAsync("selfplay", "--resume", path);
        string? stored;
        await using (var store = await SqliteRunStore.OpenAsync(path))
        {
            stored = await store.GetMetaAsync("environment-settings");
        }

        // Assert
        Assert.Equal(0, started.ExitCode);
        Assert.Contains("sparring: settings: ", started.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, resumed.ExitCode);
        Assert.DoesNotContain("sparring: settings: ", resumed.Stderr, StringComparison.Ordinal);
        Assert.NotNull(stored);
        Assert.Contains("[env]\nEXTRA = \"cli\"\nMARK = \"first\"\n", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selfplay_ExistingRunWithoutResume_ExitsTwoPointingAtResume()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "run");
        await using (await SqliteRunStore.OpenAsync(path))
        {
        }

        // Act
        var outcome = await CliRunner.RunAsync("selfplay", Samples.Path(Samples.Python), "--out", path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--resume", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selfplay_LlmInjectorReachingOutOfTheWorkspace_EveryAttemptRejectedAsUnsafePathAndTheHostFileSurvives()
    {
        // Arrange: each injector episode writes an artifact whose test_files.txt names ../../NAME (beside the
        // workspaces), and makes metadata.json a link to a host file (which loading a submission used to write through).
        using var dir = new TempDirectory();
        using var beside = Sentinel.BesideWorkspaces(TestCache.Root);
        using var outside = new TempDirectory();
        using var host = new Sentinel(outside.Path);
        var artifact = SampleArtifacts.For(Samples.Python);
        var write = string.Join('\n',
            "mkdir -p .sparring-artifact && cd .sparring-artifact",
            $"cat > {BugArtifactFiles.BugInject} <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF",
            $"cat > {BugArtifactFiles.TestWeaken} <<'SPARRING_EOF'\n{artifact.TestWeakenDiff}SPARRING_EOF",
            $"printf '%s\\n' {string.Join(' ', artifact.TestFiles.Append(beside.FromWorkspaceTree))} > {BugArtifactFiles.TestFilesList}",
            $"printf '%s\\n' '{artifact.TestScript.Trim()}' > {BugArtifactFiles.TestScript}",
            $"ln -s '{host.Path}' {BugArtifactFiles.Metadata}");
        ScriptedReply Bash(string command) => ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = command }));
        var submit = ScriptedReply.ToolCall("submit", "{}");
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(write), submit, Bash(write), submit);

        // Act
        var outcome = await CliRunner.RunAsync(
            "selfplay", Samples.Path(Samples.Python), "--rounds", "1", "--bugs-per-round", "1", "--injector", "llm", "--solver", "search", "--max-candidates", "1",
            "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", Path.Combine(dir.Path, "run"), "--json");

        // Assert
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(0, summary.RootElement.GetProperty("valid").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("rejectedByCheck").GetProperty(Sparring.Injection.InjectorAgent.UnsafePathCheck).GetInt32());
        Assert.Equal(0, server.Pending);
        Assert.True(beside.Untouched);
        Assert.True(host.Untouched);
    }

    /// <summary>Runs the CLI as its own process and SIGKILLs its whole tree <paramref name="delay"/> after its <paramref name="line"/>-th progress line.</summary>
    private static async Task<string> StartAndKillAsync(string[] arguments, int line, TimeSpan delay)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sparring.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var seen = 0;
        var last = "";
        while (seen < line && await process.StandardError.ReadLineAsync() is { } text)
        {
            if (text.StartsWith("sparring: selfplay:", StringComparison.Ordinal))
            {
                seen++;
                last = text;
            }
        }

        await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(delay));
        var note = $"{delay.TotalMilliseconds:0} ms after progress line {seen} ({last})";
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return note + ": killed";
        }

        return note + $": had already exited ({process.ExitCode})";
    }

    private static string Totals(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("secondsByStage");
        return node.ToJsonString();
    }
}
