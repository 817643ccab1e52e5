using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class GradeCommandTests
{
    [Fact]
    public async Task Grade_CorrectFixJson_ExitsZeroWithPerTestResults()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (artifactDir, patchFile) = await WriteAsync(dir.Path, fix: true);

        // Act
        var outcome = await CliRunner.RunAsync("grade", Samples.Path(Samples.Python), artifactDir, patchFile, "--json");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.True(json.RootElement.GetProperty("solved").GetBoolean());
        Assert.Equal("solved", json.RootElement.GetProperty("outcome").GetString());
        Assert.False(json.RootElement.GetProperty("tampered").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("reasons").GetArrayLength());
        var tests = json.RootElement.GetProperty("tests").EnumerateArray().ToList();
        Assert.NotEmpty(tests);
        Assert.All(tests, t => Assert.Equal("passed", t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Grade_WrongPatch_ExitsOneAndPrintsWhy()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (artifactDir, patchFile) = await WriteAsync(dir.Path, fix: false);

        // Act
        var outcome = await CliRunner.RunAsync("grade", Samples.Path(Samples.Python), artifactDir, patchFile);

        // Assert
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("NOT SOLVED", outcome.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("TAMPERED", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("target tests:", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("tests/test_reports.py", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_MissingPatchFile_ExitsTwoWithJsonError()
    {
        // Arrange
        using var dir = new TempDirectory();
        var (artifactDir, _) = await WriteAsync(dir.Path, fix: false);

        // Act
        var outcome = await CliRunner.RunAsync("grade", Samples.Path(Samples.Python), artifactDir, Path.Combine(dir.Path, "nope.diff"), "--json");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Contains("nope.diff", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("sparring: error:", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_MissingArguments_ExitsTwo()
    {
        // Arrange, Act
        var outcome = await CliRunner.RunAsync("grade", Samples.Path(Samples.Python));

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("sparring --help", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_TamperedGrade_SaysTamperedNotSolvedWithTheReasonAndJsonOutcome()
    {
        // Arrange: the verdict the grader gives when a canary shows the results were falsified.
        var artifact = SampleArtifacts.For(Samples.Python);
        var grade = new GradeResult { Solved = false, Tampered = true, Reasons = ["tampered: a canary test that must fail passed"] };
        using var output = new StringWriter();

        // Act
        await Commands.GradeCommand.PrintAsync(output, artifact, grade);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(grade, GradingJsonContext.Default.GradeResult));

        // Assert
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("TAMPERED (not solved)", lines);
        Assert.DoesNotContain("NOT SOLVED", lines);
        Assert.DoesNotContain("SOLVED", lines);
        Assert.Contains("  - tampered: a canary test that must fail passed", lines);
        Assert.Equal("tampered", json.RootElement.GetProperty("outcome").GetString());
        Assert.True(json.RootElement.GetProperty("tampered").GetBoolean());
        Assert.False(json.RootElement.GetProperty("solved").GetBoolean());
    }

    [Theory]
    [InlineData("parent")]
    [InlineData("absolute")]
    [InlineData("link")]
    public async Task Grade_TestFilesNamePathOutsideTheRepository_ExitsTwoWithOneLineAndTouchesNothing(string form)
    {
        // Arrange: "parent" is the red team's: grading deleted ../../NAME, a host file beside the workspaces.
        using var escaping = await EscapingArtifact.CreateAsync(form);
        var scratch = Directory.CreateDirectory(Path.Combine(escaping.Work, "patch")).FullName;
        var (_, patchFile) = await WriteAsync(scratch, fix: true);

        // Act
        var outcome = await CliRunner.RunAsync("grade", escaping.Repository, escaping.ArtifactDirectory, patchFile, "--json");

        // Assert
        escaping.AssertRefused(outcome);
        Assert.Equal(2, JsonDocument.Parse(outcome.Stdout).RootElement.GetProperty("exitCode").GetInt32());
    }

    /// <summary>The sample's artifact in a directory, and a patch file: the real fix, or a README edit.</summary>
    private static async Task<(string ArtifactDir, string PatchFile)> WriteAsync(string root, bool fix)
    {
        var sample = Samples.Path(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var artifactDir = Path.Combine(root, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDir);

        // The solver's tree is the original with the bug and the weakening; its diff is the same whichever tree it starts from.
        var tree = Path.Combine(root, "tree");
        TempGitRepo.RunGit(root, ["clone", "--quiet", sample, "tree"]);
        await DiffApplier.ApplyAsync(tree, artifact.BugInjectDiff);
        await DiffApplier.ApplyAsync(tree, artifact.TestWeakenDiff);
        TempGitRepo.RunGit(tree, ["add", "--all"]);
        TempGitRepo.RunGit(tree, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "broken"]);
        if (fix)
        {
            await DiffApplier.ApplyAsync(tree, artifact.BugInjectDiff, reverse: true);
        }
        else
        {
            await File.AppendAllTextAsync(Path.Combine(tree, "README.md"), "\nwrong\n");
        }

        var patchFile = Path.Combine(root, "patch.diff");
        await File.WriteAllTextAsync(patchFile, TempGitRepo.RunGit(tree, ["diff"]));
        return (artifactDir, patchFile);
    }
}
