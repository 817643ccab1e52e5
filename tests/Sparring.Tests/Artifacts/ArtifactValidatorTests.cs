using Sparring.Artifacts;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Artifacts;

/// <summary>
/// The nine checks on real artifacts of the bundled samples (made from their real fix commits), in real
/// sandboxes. Valid artifacts here; hand-made invalid ones, each failing exactly one check, in the
/// Rejections part.
/// </summary>
public sealed partial class ArtifactValidatorTests
{
    private const string PythonRegressionTest = "tests/test_reports.py::test_low_stock_includes_items_exactly_at_the_threshold";

    [Theory]
    [InlineData(Samples.Python, new[] { PythonRegressionTest })]

    // The bug makes TopN panic, which ends the stats package's test binary: the tests after it are missing (counted as failing).
    [InlineData(Samples.Go, new[] { "example.com/textkit/stats/TestTopNClampsN", "example.com/textkit/stats/TestSummarize", "example.com/textkit/stats/TestSummarizeEmpty" })]
    [InlineData(Samples.JavaScript, new[] { "test/accounts.test.js > account names > does not treat a name prefix as a parent", "test/ledger.test.js > Ledger > balances > does not roll up accounts that merely share a prefix" })]
    public async Task ValidateAsync_SampleArtifactValidatedTwice_IsValidAndTheSecondReusesTheBaseline(string sample, string[] failToPass)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(sample);
        var artifact = SampleArtifacts.For(sample);
        var validator = new ArtifactValidator(SampleEnvironments.Sandboxes);
        var checks = new List<CheckResult>();
        var observed = new ArtifactValidator(SampleEnvironments.Sandboxes) { OnCheck = checks.Add };

        // Act
        var first = await observed.ValidateAsync(environment, artifact);
        var second = await validator.ValidateAsync(environment, artifact);

        // Assert
        AssertAllPassed(first);
        AssertAllPassed(second);
        Assert.Equal(first.Checks, checks);
        Assert.Equal(failToPass.Order(StringComparer.Ordinal), first.FailToPass);
        Assert.Equal(failToPass.Order(StringComparer.Ordinal), second.FailToPass);
        Assert.All(failToPass, id => Assert.Contains(id, first.BaselinePassing));
        Assert.Equal(first.BaselinePassing, second.BaselinePassing);

        // One run with the bug, one with the bug and the weakening (the one changed file restored is the original:
        // the baseline's); the baseline once per cache.
        Assert.Equal(2, RunsBesidesBaseline(first));
        Assert.Contains("(baseline reused)", second.Checks.Single(c => c.Name == ValidationChecks.OriginalPasses).Evidence, StringComparison.Ordinal);
        Assert.Equal(2, second.TestRuns);
        Assert.Contains("restoring it gives the original tree", second.Checks.Single(c => c.Name == ValidationChecks.NoRedundantEdits).Evidence, StringComparison.Ordinal);
        Assert.True(first.DurationMs > 0);
    }

    [Fact]
    public async Task ValidateAsync_CSharpSampleArtifact_IsValidAndLeavesItsBaselineForTheNext()
    {
        // Arrange: dotnet test takes ~10 s a run, so one validation; reuse is checked on the runner directly.
        var environment = await SampleEnvironments.GetAsync(Samples.CSharp);
        var artifact = SampleArtifacts.For(Samples.CSharp);

        // Act
        var report = await new ArtifactValidator(SampleEnvironments.Sandboxes).ValidateAsync(environment, artifact);
        var (baseline, reused) = await new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, artifact).BaselineAsync();

        // Assert
        AssertAllPassed(report);
        // Ordered by id: the TRX order of results varies from run to run.
        Assert.Equal(["Geometry.Tests.Transform2DTests.Rotation_AboutACenter", "Geometry.Tests.Transform2DTests.Then_AppliesThisTransformFirst"], report.FailToPass);
        Assert.Equal(2, RunsBesidesBaseline(report));
        Assert.True(reused);
        Assert.Equal(report.BaselinePassing, baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ValidateAsync_WithTheCallersRunOfTheBug_SameVerdictWithOneRunFewer()
    {
        // Arrange: the run the procedural injector makes of a candidate: the artifact's script on the tree with the bug.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var runner = new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, artifact);
        // Both validations then read the cached baseline, so their evidence (which says "baseline reused") agrees
        // whether or not an earlier test left one.
        await runner.BaselineAsync();
        TestRun buggy;
        await using (var workspace = await runner.CreateWorkspaceAsync())
        {
            await Sparring.Repos.DiffApplier.ApplyAsync(workspace.TreePath, artifact.BugInjectDiff);
            buggy = await runner.RunAsync(workspace);
        }

        var validator = new ArtifactValidator(SampleEnvironments.Sandboxes);

        // Act
        var alone = await validator.ValidateAsync(environment, artifact);
        var handed = await validator.ValidateAsync(environment, artifact, buggy);

        // Assert: a single-file bug costs the weakened run only, beside the run handed over.
        AssertAllPassed(handed);
        Assert.Equal(alone.FailToPass, handed.FailToPass);
        Assert.Equal(alone.Checks.Select(c => c.Evidence), handed.Checks.Select(c => c.Evidence));
        Assert.Equal(RunsBesidesBaseline(alone) - 1, RunsBesidesBaseline(handed));
        Assert.Equal(1, RunsBesidesBaseline(handed));
    }

    [Fact]
    public async Task ValidateAsync_FreshCacheThenAgain_RunsTheBaselineOnceAndCountsEveryRun()
    {
        // Arrange: a private cache, so the first validation cannot find a baseline from an earlier test run.
        using var cache = new TempDirectory();
        var environment = await SampleEnvironments.PrepareAsync(Samples.Path(Samples.Python), cache.Path);
        var artifact = SampleArtifacts.For(Samples.Python);
        var validator = new ArtifactValidator(SampleEnvironments.Sandboxes);

        // Act
        var first = await validator.ValidateAsync(environment, artifact);
        var second = await validator.ValidateAsync(environment, artifact);

        // Assert
        AssertAllPassed(first);
        AssertAllPassed(second);
        Assert.Equal(3, first.TestRuns);
        Assert.Equal(2, second.TestRuns);
        Assert.DoesNotContain("reused", first.Checks.Single(c => c.Name == ValidationChecks.OriginalPasses).Evidence, StringComparison.Ordinal);
        Assert.Equal("91 of 92 tests pass on the original; at least 1 required (baseline reused)", second.Checks.Single(c => c.Name == ValidationChecks.OriginalPasses).Evidence);
        Assert.Single(Directory.GetFiles(Path.Combine(environment.Directory, "baselines")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache.Path, "workspaces")));
    }

    [Fact]
    public async Task ValidateAsync_ParserScriptInsteadOfBuiltIn_IsValidWithTheSameFailingTest()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.WithParserScript(SampleArtifacts.For(Samples.Python));

        // Act
        var report = await new ArtifactValidator(SampleEnvironments.Sandboxes).ValidateAsync(environment, artifact);

        // Assert
        AssertAllPassed(report);
        Assert.Equal([PythonRegressionTest], report.FailToPass);
        Assert.Equal(90, report.BaselinePassing.Count); // the sample parser cuts ids at spaces: two parametrized ids collide, the skipped test is not printed
        Assert.Contains("script:", report.Checks.Single(c => c.Name == ValidationChecks.ParserRuns).Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_StopsAtBugIsReal_CancelsTheWeakenedRunBeforeReturning()
    {
        // Arrange: the bug breaks nothing, and the weakened suite sleeps at collection, so it is still running
        // when bug-is-real is decided. Before the fix it was abandoned: still running (and its workspace still
        // on disk) after validation returned, then releasing an already disposed semaphore.
        using var cache = new TempDirectory();
        var environment = await SampleEnvironments.PrepareAsync(Samples.Path(Samples.Python), cache.Path);
        var valid = SampleArtifacts.For(Samples.Python);
        using var clone = new SampleClone(Samples.Python);
        var inject = clone.Append("inventory/reports.py", "\n# Low stock means at or below the threshold.\n").Diff();
        var weaken = clone.Apply(valid.TestWeakenDiff).Append("tests/test_reports.py", "\nimport time\ntime.sleep(20)\n").Diff();
        var artifact = valid with { BugInjectDiff = inject, TestWeakenDiff = weaken };
        await new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, artifact).BaselineAsync();
        var started = DateTimeOffset.UtcNow;

        // Act
        var report = await new ArtifactValidator(SampleEnvironments.Sandboxes).ValidateAsync(environment, artifact);
        var elapsed = DateTimeOffset.UtcNow - started;

        // Assert
        Assert.False(report.Valid);
        Assert.Equal(ValidationChecks.BugIsReal, report.FailedCheck);
        Assert.Equal(ValidationChecks.All.Take(7), report.Checks.Select(c => c.Name));
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache.Path, "workspaces")));
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"validation took {elapsed}");
    }

    [Fact]
    public async Task BaselineAsync_ScriptTimesOut_IsNotKeptForTheNextRun()
    {
        // Arrange: before the fix a timed-out baseline was cached and rejected every later artifact with this script.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python) with { TestScript = "#!/bin/bash\n# baseline timeout test\nsleep 30\n" };
        var runner = new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, artifact) { ScriptTimeout = TimeSpan.FromSeconds(1) };

        // Act
        var (first, firstReused) = await runner.BaselineAsync();
        var (second, secondReused) = await runner.BaselineAsync();

        // Assert
        Assert.True(first.TimedOut);
        Assert.True(second.TimedOut);
        Assert.False(firstReused);
        Assert.False(secondReused);
        Assert.False(first.SuiteRan);
    }

    private static void AssertAllPassed(ValidationReport report)
    {
        Assert.True(report.Valid, Describe(report));
        Assert.Null(report.FailedCheck);
        Assert.Equal(ValidationChecks.All, report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.True(c.Passed, c.Name + ": " + c.Evidence));
    }

    private static string Describe(ValidationReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Name}: {(c.Passed ? "passed" : "FAILED")} - {c.Evidence}"));
}
