using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ExecCommandTests
{
    [Fact]
    public async Task Exec_CommandInSample_RunsInThePreparedSandboxAndReturnsItsExitCode()
    {
        // Arrange
        var path = Samples.Path(Samples.Go);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--", "bash", "-c", "pwd; go env GOCACHE; ls go.mod; echo oops >&2; exit 7");

        // Assert
        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal("/repo\n/sparring/go-build\ngo.mod\n", outcome.Stdout);
        Assert.Contains("oops", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("sparring: exit code 7", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_WritesToTheCopy_NeverToTheRepository()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--json", "--", "bash", "-c", "rm -rf inventory && echo gone");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("gone\n", json.RootElement.GetProperty("stdout").GetString());
        Assert.False(json.RootElement.GetProperty("timedOut").GetBoolean());
        Assert.True(Directory.Exists(Path.Combine(path, "inventory")));
    }

    [Fact]
    public async Task Exec_Timeout_KillsAndReports124()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--timeout", "1", "--json", "--", "sleep", "30");

        // Assert
        Assert.Equal(124, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.True(json.RootElement.GetProperty("timedOut").GetBoolean());
        Assert.InRange(json.RootElement.GetProperty("durationMs").GetDouble(), 900, 10_000);
    }

    [Fact]
    public async Task Exec_MissingCommand_ExitsTwo()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error", outcome.Stderr, StringComparison.Ordinal);
    }
}
