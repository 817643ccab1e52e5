using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Rewards;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Solving;

public sealed class SolverTaskTests
{
    [Fact]
    public async Task BuildAsync_PythonSample_BrokenTreeWithOneReproducibleCommitAndTheRestoredTestsInThePrompt()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);

        // Act
        await using var task = await SolverTaskBuilder.BuildAsync(environment, artifact);
        await using var again = await SolverTaskBuilder.BuildAsync(environment, artifact);

        // Assert: the bug and the weakening are in, one commit, same id every time, a clean work tree.
        Assert.True(await DiffApplier.CanApplyAsync(task.TreePath, artifact.BugInjectDiff, reverse: true));
        Assert.True(await DiffApplier.CanApplyAsync(task.TreePath, artifact.TestWeakenDiff, reverse: true));
        Assert.Equal("1", TempGitRepo.RunGit(task.TreePath, ["rev-list", "--count", "HEAD"]).Trim());
        Assert.Equal(task.Commit, again.Commit);
        Assert.Equal("", TempGitRepo.RunGit(task.TreePath, ["status", "--porcelain"]));
        Assert.Equal("Sparring <sparring@localhost> 946684800", TempGitRepo.RunGit(task.TreePath, ["log", "-1", "--format=%an <%ae> %at"]).Trim());

        // The prompt shows the reverse of the weakening, which puts the original tests back.
        Assert.NotEqual("", task.RestoredTestsDiff);
        Assert.Contains(task.RestoredTestsDiff.TrimEnd('\n'), task.Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", task.Prompt, StringComparison.Ordinal);
        await DiffApplier.ApplyAsync(task.TreePath, task.RestoredTestsDiff);
        foreach (var file in await DiffApplier.ChangedPathsAsync(artifact.TestWeakenDiff))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(environment.TreePath, file)), File.ReadAllText(Path.Combine(task.TreePath, file)));
        }
    }

    [Fact]
    public async Task BuildAsync_OrderTwoArtifact_AppliesTheFailedPatchOnTop()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var failed = await SolverPatches.MakeAsync(environment, artifact, tree => File.AppendAllTextAsync(Path.Combine(tree, "inventory", "__init__.py"), "\nFAILED_ATTEMPT = 1\n"));
        var orderTwo = HigherOrderBugs.FromFailedAttempt(artifact, failed);

        // Act
        await using var task = await SolverTaskBuilder.BuildAsync(environment, orderTwo);

        // Assert
        Assert.Contains("FAILED_ATTEMPT = 1", File.ReadAllText(Path.Combine(task.TreePath, "inventory", "__init__.py")), StringComparison.Ordinal);
        Assert.True(await DiffApplier.CanApplyAsync(task.TreePath, artifact.BugInjectDiff, reverse: true));
        Assert.Equal("1", TempGitRepo.RunGit(task.TreePath, ["rev-list", "--count", "HEAD"]).Trim());
        Assert.False(Directory.Exists(Path.Combine(task.TreePath, ".git", "refs", "remotes", "origin")));
    }

    [Fact]
    public async Task BuildAsync_InjectDiffDoesNotApply_ThrowsNamingTheFileAndGitsMessage()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var broken = artifact with { BugInjectDiff = artifact.BugInjectDiff.Replace("\n-", "\n-NOT THERE ", StringComparison.Ordinal) };

        // Act
        var error = await Assert.ThrowsAsync<ArtifactApplyException>(() => SolverTaskBuilder.BuildAsync(environment, broken));

        // Assert
        Assert.Equal(BugArtifactFiles.BugInject, error.FileName);
        Assert.Contains("bug_inject.diff", error.Message, StringComparison.Ordinal);
        Assert.Contains(artifact.Metadata.Id, error.Message, StringComparison.Ordinal);
        Assert.IsType<DiffApplyException>(error.InnerException);
    }

    [Theory]
    [InlineData("../../outside.py", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("tests/test_missing.py", "no such file in the repository")]
    public async Task BuildAsync_TestFilesNameAPathThatIsNotTheRepositorys_Refused(string path, string reason)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, path] };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => SolverTaskBuilder.BuildAsync(environment, artifact));

        // Assert
        Assert.Equal(path, ex.Path);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.Equal($"test_files.txt of artifact '{artifact.Metadata.Id}'", ex.Origin);
    }

    [Fact]
    public void RenderPrompt_Diff_HasNoIssueTextAndFillsEveryPlaceholder()
    {
        // Arrange
        const string Diff = "diff --git a/tests/test_a.py b/tests/test_a.py\n+def test_a(): assert f() == 1\n";

        // Act
        var prompt = SolverTaskBuilder.RenderPrompt(Diff, "/work");

        // Assert
        Assert.Contains("```diff\n" + Diff.TrimEnd('\n') + "\n```", prompt, StringComparison.Ordinal);
        Assert.Contains("`/work`", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", prompt, StringComparison.Ordinal);
    }
}
