using System.Text.Json;
using Sparring.Artifacts;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_ValidSampleArtifact_PrintsEveryCheckAndValidAndExitsZero()
    {
        // Arrange
        using var directory = new TempDirectory();
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), directory.Path);

        // Act
        var outcome = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), directory.Path);

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("artifact    py-inventory-c71f695db5 (strategy history, order 1)", outcome.Stdout, StringComparison.Ordinal);
        foreach (var check in ValidationChecks.All)
        {
            Assert.Contains($"passed  {check,-19} ", outcome.Stdout, StringComparison.Ordinal);
            Assert.Contains($"sparring: {check}: passed", outcome.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("tests/test_reports.py::test_low_stock_includes_items_exactly_at_the_threshold", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nVALID\n", outcome.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"\d+ test-suite run\(s\), \d+\.\d s", outcome.Stdout);
    }

    [Fact]
    public async Task Validate_JsonOnRejectedArtifact_PrintsTheReportAndExitsOne()
    {
        // Arrange: nothing weakened, so the failure stays visible.
        using var directory = new TempDirectory();
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python) with { TestWeakenDiff = "" }, directory.Path);

        // Act
        var outcome = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), directory.Path, "--json");

        // Assert
        Assert.Equal(1, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        var root = json.RootElement;
        Assert.False(root.GetProperty("valid").GetBoolean());
        Assert.Equal(ValidationChecks.BugIsHidden, root.GetProperty("failedCheck").GetString());
        var checks = root.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(ValidationChecks.All.Take(8), checks.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([true, true, true, true, true, true, true, false], checks.Select(c => c.GetProperty("passed").GetBoolean()));
        Assert.All(checks, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("evidence").GetString())));
        Assert.Equal(["tests/test_reports.py::test_low_stock_includes_items_exactly_at_the_threshold"], root.GetProperty("failToPass").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("testRuns").GetInt32() >= 2);
        Assert.True(root.GetProperty("durationMs").GetDouble() > 0);
        Assert.Contains("sparring: bug-is-hidden: FAILED", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AllOnArtifactFailingEarly_RunsEveryCheck()
    {
        // Arrange: one check fails (min-changed-files); --all still decides the other eight.
        using var directory = new TempDirectory();
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), directory.Path);

        // Act
        var stopped = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), directory.Path, "--min-changed-files", "2");
        var all = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), directory.Path, "--min-changed-files", "2", "--all", "--json");

        // Assert
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("FAILED  min-changed-files", stopped.Stdout, StringComparison.Ordinal);
        Assert.Contains("-       parser-runs         not run (an earlier check failed; --all runs every check)", stopped.Stdout, StringComparison.Ordinal);
        Assert.Contains("REJECTED by min-changed-files", stopped.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n0 test-suite run\(s\)", stopped.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal(1, all.ExitCode);
        using var json = JsonDocument.Parse(all.Stdout);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(ValidationChecks.All, checks.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([ValidationChecks.MinChangedFiles], checks.Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(ValidationChecks.MinChangedFiles, json.RootElement.GetProperty("failedCheck").GetString());
    }

    [Fact]
    public async Task Validate_ArtifactDirectoryMissing_ExitsTwoNamingIt()
    {
        // Arrange
        using var root = new TempDirectory();
        var missing = Path.Combine(root.Path, "no-such-artifact");

        // Act
        var outcome = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), missing, "--json");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(missing, outcome.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Validate_ArtifactFileMissing_ExitsTwoNamingIt()
    {
        // Arrange: a malformed artifact is bad input (docs/selfplay.md: 2 usage error), not a suite that did not run.
        using var directory = new TempDirectory();
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), directory.Path);
        File.Delete(Path.Combine(directory.Path, BugArtifactFiles.TestScript));

        // Act
        var outcome = await CliRunner.RunAsync("validate", Samples.Path(Samples.Python), directory.Path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(BugArtifactFiles.TestScript, outcome.Stderr, StringComparison.Ordinal);
        Assert.Empty(outcome.Stdout);
    }

    [Theory]
    [InlineData("parent")]
    [InlineData("absolute")]
    [InlineData("link")]
    public async Task Validate_TestFilesNamePathOutsideTheRepository_ExitsTwoWithOneLineAndTouchesNothing(string form)
    {
        // Arrange
        using var escaping = await EscapingArtifact.CreateAsync(form);

        // Act
        var outcome = await CliRunner.RunAsync("validate", escaping.Repository, escaping.ArtifactDirectory, "--all");

        // Assert: refused, not a report with a failed check.
        escaping.AssertRefused(outcome);
        Assert.DoesNotContain("REJECTED", outcome.Stdout, StringComparison.Ordinal);
    }
}
