using Sparring.Grading;
using Sparring.Rewards;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Grading;

public sealed partial class GraderTests
{
    private readonly Grader _grader = new(SampleEnvironments.Sandboxes);

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    [InlineData(Samples.JavaScript)]
    [InlineData(Samples.CSharp)]
    public async Task GradeAsync_CorrectFix_Solved(string sample)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(sample);
        var artifact = SampleArtifacts.For(sample);
        var patch = await SolverPatches.CorrectFixAsync(environment, artifact);

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, patch);

        // Assert
        Assert.True(grade.Solved, string.Join("\n", grade.Reasons) + "\n" + grade.Run?.Log);
        Assert.Equal(GradeOutcome.Solved, grade.Outcome);
        Assert.NotEmpty(grade.CanaryFiles);
        Assert.Contains(grade.Run!.Tests, t => t.Status == TestStatus.Failed);
        Assert.Empty(grade.Reasons);
        Assert.NotEmpty(grade.Tests);
        Assert.All(grade.Tests, t => Assert.True(t.Passed, t.Id));
        Assert.Empty(grade.Removed);
        Assert.True(grade.Run!.SuiteRan);
    }

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    [InlineData(Samples.JavaScript)]
    [InlineData(Samples.CSharp)]
    public async Task GradeAsync_WrongPatch_NotSolvedNamingTheFailingTests(string sample)
    {
        // Arrange: a patch that changes only the README leaves the bug in place.
        var environment = await SampleEnvironments.GetAsync(sample);
        var artifact = SampleArtifacts.For(sample);
        var patch = await SolverPatches.MakeAsync(environment, artifact, tree => File.AppendAllTextAsync(Path.Combine(tree, "README.md"), "\nA wrong fix.\n"));

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, patch);

        // Assert
        Assert.False(grade.Solved);
        var reason = Assert.Single(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
        var failing = grade.Tests.Where(t => !t.Passed).ToList();
        Assert.NotEmpty(failing);
        Assert.Contains(failing[0].Id, reason, StringComparison.Ordinal);
        Assert.True(grade.Run!.SuiteRan);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public async Task GradeAsync_EmptyPatch_NotSolvedWithoutARun(string patch)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);

        // Act
        var grade = await _grader.GradeAsync(environment, SampleArtifacts.For(Samples.Python), patch);

        // Assert
        Assert.False(grade.Solved);
        Assert.StartsWith("empty patch", Assert.Single(grade.Reasons), StringComparison.Ordinal);
        Assert.Null(grade.Run);
        Assert.Empty(grade.Tests);
    }

    [Fact]
    public async Task GradeAsync_MalformedPatch_NotSolvedQuotingGit()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);

        // Act
        var grade = await _grader.GradeAsync(environment, SampleArtifacts.For(Samples.Python), "this is not a diff\n--- nor this\n");

        // Assert
        Assert.False(grade.Solved);
        Assert.StartsWith("malformed patch", Assert.Single(grade.Reasons), StringComparison.Ordinal);
        Assert.Null(grade.Run);
    }

    [Fact]
    public async Task GradeAsync_PatchAgainstAnotherTree_NotSolvedDoesNotApply()
    {
        // Arrange: the fix against the original (where the bug is absent) does not apply to the solver's tree.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var stale = artifact.BugInjectDiff;

        // Act
        var grade = await _grader.GradeAsync(environment, artifact, stale);

        // Assert
        Assert.False(grade.Solved);
        Assert.StartsWith("the patch does not apply to the solver's tree", Assert.Single(grade.Reasons), StringComparison.Ordinal);
        Assert.Null(grade.Run);
    }

    [Fact]
    public async Task GradeAsync_OrderTwoArtifact_FixOnTopOfTheFailedPatchSolves()
    {
        // Arrange: the failed attempt added a harmless line; the fix is made against the order-2 solver tree.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var failed = await SolverPatches.MakeAsync(environment, artifact, tree => File.AppendAllTextAsync(Path.Combine(tree, "inventory", "__init__.py"), "\nATTEMPT = 1\n"));
        var orderTwo = HigherOrderBugs.FromFailedAttempt(artifact, failed);
        var fix = await SolverPatches.CorrectFixAsync(environment, orderTwo);

        // Act
        var grade = await _grader.GradeAsync(environment, orderTwo, fix);

        // Assert
        Assert.True(grade.Solved, string.Join("\n", grade.Reasons));
        Assert.DoesNotContain("ATTEMPT", fix, StringComparison.Ordinal);
    }
}
