using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ExportCommandTests
{
    [Fact]
    public async Task Export_SearchSolverRun_SweBenchWrittenRlExplainedEmptyBadOptionsRefused()
    {
        // Arrange: a small real run with the mutation-search solver (which records no trajectory).
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        var played = await CliRunner.RunAsync("selfplay", Samples.Path(Samples.Python), "--rounds", "1", "--bugs-per-round", "1", "--attempts", "2", "--budget", "2", "--max-candidates", "2", "--seed", "5", "--out", run);

        // Act
        var swebench = await CliRunner.RunAsync("export", run, "--format", "swebench", "--out", Path.Combine(dir.Path, "sb"), "--json");
        var rl = await CliRunner.RunAsync("export", run, "--format", "rl");
        var unknown = await CliRunner.RunAsync("export", run, "--format", "parquet");
        var missing = await CliRunner.RunAsync("export", Path.Combine(dir.Path, "nothing-here"), "--format", "rl");
        var penalty = await CliRunner.RunAsync("export", run, "--format", "rl", "--length-penalty", "40");
        var tiny = await CliRunner.RunAsync("export", run, "--format", "swebench", "--out", Path.Combine(dir.Path, "tiny"), "--max-lines", "1");
        var zero = await CliRunner.RunAsync("export", run, "--format", "swebench", "--max-files", "0");
        var curriculum = await CliRunner.RunAsync("export", run, "--format", "swebench", "--curriculum", "easy-first");

        // Assert
        Assert.True(played.ExitCode == 0, played.Stderr);
        Assert.True(swebench.ExitCode == 0, swebench.Stderr);
        using var manifest = JsonDocument.Parse(swebench.Stdout);
        Assert.Equal(1, manifest.RootElement.GetProperty("records").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir.Path, "sb", "swebench.jsonl")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "sb", "predictions", "attempt-2.jsonl")));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "sb", "repo.git")));

        Assert.Equal(1, rl.ExitCode);
        Assert.Contains("2 no-trajectory", rl.Stderr, StringComparison.Ordinal);
        Assert.Contains("--solver llm", rl.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "exports", "rl", "rl.manifest.json")));

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown export format 'parquet'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("holds no run", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, penalty.ExitCode);
        Assert.Contains("L_THR:T_MAX", penalty.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, tiny.ExitCode);
        Assert.Contains("1 task-size", tiny.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--max-files and --max-lines must be at least 1", zero.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, curriculum.ExitCode);
        Assert.Contains("unknown curriculum 'easy-first'", curriculum.Stderr, StringComparison.Ordinal);
    }
}
