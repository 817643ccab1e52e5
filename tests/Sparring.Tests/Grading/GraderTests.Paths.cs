using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Grading;

/// <summary>Paths outside the repository: refused from an artifact (an error), graded unsolved from a solver's patch; never used.</summary>
public sealed partial class GraderTests
{
    [Theory]
    [InlineData("parent")]
    [InlineData("absolute")]
    public async Task GradeAsync_TestFilesNamePathOutsideTheRepository_RefusedAndTheHostFileSurvives(string form)
    {
        // Arrange: "parent" is the red team's path: from a workspace's tree ../../NAME is this host file, which the
        // original tree lacks, so restoring the "test file" deleted it.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var sentinel = Sentinel.BesideWorkspaces(environment.CacheRoot);
        var path = form == "parent" ? sentinel.FromWorkspaceTree : sentinel.Path;
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, path] };
        var patch = await SolverPatches.CorrectFixAsync(environment, valid);

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => _grader.GradeAsync(environment, artifact, patch));

        // Assert
        Assert.Equal(path, ex.Path);
        Assert.StartsWith($"test_files.txt of artifact '{artifact.Metadata.Id}' names '{path}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(form == "parent" ? "'..'" : "absolute", ex.Reason, StringComparison.Ordinal);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task GradeAsync_TestFileAbsentFromTheRepository_RefusedInsteadOfSilentlyAccepted()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, "tests/test_missing.py"] };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(async () => await _grader.GradeAsync(environment, artifact, await SolverPatches.CorrectFixAsync(environment, valid)));

        // Assert
        Assert.Equal("tests/test_missing.py", ex.Path);
        Assert.Contains("no such file in the repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GradeAsync_TestFileThroughALinkInTheRepositoryLeavingIt_Refused()
    {
        // Arrange: the repository itself has tests/fixtures, a link to a host folder; the artifact lists a file there.
        using var work = new TempDirectory();
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var clone = sentinel.CloneWithLinkHere(Samples.Path(Samples.Python), Path.Combine(work.Path, "repo"), "tests/fixtures");
        var environment = await SampleEnvironments.PrepareAsync(clone, Path.Combine(work.Path, "cache"));
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, "tests/fixtures/" + sentinel.Name] };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => _grader.GradeAsync(environment, artifact, "diff --git a/README.md b/README.md\n"));

        // Assert
        Assert.Equal("tests/fixtures/" + sentinel.Name, ex.Path);
        Assert.Contains("symbolic link", ex.Reason, StringComparison.Ordinal);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task GradeAsync_ArtifactDiffAddsALinkOutOfTheTree_RefusedBeforeTheRun()
    {
        // Arrange: bug_inject.diff also creates inventory/escape, a link to a host folder.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { BugInjectDiff = valid.BugInjectDiff + LinkDiff("inventory/escape", outside.Path) };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(async () => await _grader.GradeAsync(environment, artifact, await SolverPatches.CorrectFixAsync(environment, valid)));

        // Assert
        Assert.Equal("inventory/escape", ex.Path);
        Assert.StartsWith($"bug_inject.diff of artifact '{artifact.Metadata.Id}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", ex.Reason, StringComparison.Ordinal);
        Assert.True(sentinel.Untouched);
    }

    [Theory]
    [InlineData("parent")]
    [InlineData("absolute")]
    public async Task GradeAsync_PatchNamesPathOutsideTheRepository_UnsolvedWithoutARunAndNothingWritten(string form)
    {
        // Arrange: the correct fix, plus a new file outside the repository.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var sentinel = Sentinel.BesideWorkspaces(environment.CacheRoot);
        var artifact = SampleArtifacts.For(Samples.Python);
        var outside = form == "parent" ? "../../pwned-" + sentinel.Name : Path.Combine(sentinel.Directory, "pwned-" + sentinel.Name);
        var patch = await SolverPatches.CorrectFixAsync(environment, artifact) + NewFileDiff(outside, "pwned");

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, patch);

        // Assert
        Assert.False(grade.Solved);
        var reason = Assert.Single(grade.Reasons);
        Assert.StartsWith("the patch names paths outside the repository, which are never applied:", reason, StringComparison.Ordinal);
        Assert.Contains(outside, reason, StringComparison.Ordinal);
        Assert.Null(grade.Run);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task GradeAsync_PatchAddsALinkOutThenWritesThroughIt_UnsolvedAndNothingWritten()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var artifact = SampleArtifacts.For(Samples.Python);
        var patch = await SolverPatches.CorrectFixAsync(environment, artifact) + LinkDiff("inventory/escape", outside.Path) + NewFileDiff("inventory/escape/pwned.py", "pwned");

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, patch);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("beyond a symbolic link", Assert.Single(grade.Reasons), StringComparison.Ordinal);
        Assert.Null(grade.Run);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task GradeAsync_CorrectFixThatAlsoAddsALinkOutOfTheTree_Unsolved()
    {
        // Arrange: the fix is right, but the patch leaves a link to a host folder among the tests.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var artifact = SampleArtifacts.For(Samples.Python);
        var patch = await SolverPatches.CorrectFixAndAsync(environment, artifact, tree =>
        {
            File.CreateSymbolicLink(Path.Combine(tree, "tests", "fixtures"), outside.Path);
            return Task.CompletedTask;
        });

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, patch);

        // Assert
        Assert.False(grade.Solved);
        var reason = Assert.Single(grade.Reasons);
        Assert.StartsWith("the patch makes paths lead outside the repository through symbolic links: 'tests/fixtures'", reason, StringComparison.Ordinal);
        Assert.Null(grade.Run);
        Assert.True(sentinel.Untouched);
    }

    /// <summary>A diff that creates <paramref name="path"/> as a symbolic link to <paramref name="target"/>, as git writes one.</summary>
    private static string LinkDiff(string path, string target) =>
        $"diff --git a/{path} b/{path}\nnew file mode 120000\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+{target}\n\\ No newline at end of file\n";

    /// <summary>A diff that creates <paramref name="path"/> (written as given: absolute or with ..) holding one line.</summary>
    private static string NewFileDiff(string path, string line) =>
        $"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+{line}\n";
}
