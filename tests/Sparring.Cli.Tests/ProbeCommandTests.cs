using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ProbeCommandTests
{
    [Fact]
    public async Task Probe_JsonOnSample_PrintsTheDocumentedFieldsAndExitsZero()
    {
        // Arrange
        var path = Samples.Path(Samples.Go);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, "--json");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        var root = json.RootElement;
        Assert.Equal("go", root.GetProperty("runner").GetString());
        Assert.Equal("go test -json -count=1 ./...", root.GetProperty("command").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.True(root.GetProperty("durationMs").GetDouble() > 0);
        var counts = root.GetProperty("counts");
        Assert.Equal(93, counts.GetProperty("passed").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());
        Assert.Equal(1, counts.GetProperty("skipped").GetInt32());
        Assert.Equal(0, counts.GetProperty("error").GetInt32());
        var tests = root.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(94, tests.Count);
        Assert.All(tests, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("id").GetString())));
        Assert.Contains(tests, t => t.GetProperty("status").GetString() == "skipped");
        Assert.True(root.GetProperty("suiteRan").GetBoolean());
        Assert.Contains("sparring: runner: go", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_TableOnSample_PrintsPerTestRowsAndSummary()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path);

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("runner      pytest", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped  tests/test_pricing.py::test_quote_in_foreign_currency", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("92 tests: 91 passed, 0 failed, 1 skipped, 0 error; exit code 0", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("suite ran: yes", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_FailingTests_ExitsOne()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "def test_ok():\n    pass\n\ndef test_bad():\n    assert 0\n").Commit("x");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path);

        // Assert
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("failed   test_x.py::test_bad", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 tests: 1 passed, 1 failed", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NothingRan_ExitsThree()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, "--test-cmd", "true", "--parser", "pytest", "--json");

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.False(json.RootElement.GetProperty("suiteRan").GetBoolean());
        Assert.NotEmpty(json.RootElement.GetProperty("disagreements").EnumerateArray());
    }

    [Theory]
    [InlineData("--parser", "nonsense")]
    [InlineData("--timeout", "0")]
    [InlineData("--bogus-option", "x")]
    public async Task Probe_BadArguments_ExitsTwoWithMessage(string option, string value)
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, option, value);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task Probe_NotARepository_ExitsTwo()
    {
        // Arrange
        using var dir = new TempDirectory();

        // Act
        var outcome = await CliRunner.RunAsync("probe", dir.Path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("is not a git repository", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NoRunner_ExitsThreeAndExplains()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("README.md", "nothing to test\n").Commit("docs");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path);

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("No supported test runner found", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("--test-cmd", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_JsonAndAnError_PrintsTheErrorAsJsonOnStdout()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("README.md", "nothing to test\n").Commit("docs");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path, "--json");

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("No supported test runner found", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
