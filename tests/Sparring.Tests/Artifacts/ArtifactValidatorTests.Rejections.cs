using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Artifacts;

/// <summary>
/// Hand-made invalid artifacts, each built from a valid sample artifact so that exactly one check fails when
/// every check runs (<c>--all</c>): a check that could not fail alone would blame an artifact twice for one fault.
/// </summary>
public sealed partial class ArtifactValidatorTests
{
    private const string HarmlessPythonComment = "\n# Low stock means at or below the threshold.\n";

    [Fact]
    public async Task ValidateAll_ListedTestFileNotInRepository_FailsOnlyTestFilesExist()
    {
        // Arrange
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, "tests/test_missing.py"] };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.TestFilesExist, "missing in the repository: tests/test_missing.py");
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("../../../../../../../../../../etc/passwd", "'..'")]
    [InlineData("tests/../../victim.py", "'..'")]
    [InlineData(".git/config", ".git")]
    public async Task ValidateAll_ListedTestFileOutsideTheRepository_RefusedAsAnErrorBeforeAnyRun(string path, string reason)
    {
        // Arrange: before, paths outside the repository were looked up on the host (and found).
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, path] };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => ValidateAllAsync(Samples.Python, artifact));

        // Assert
        Assert.Equal(path, ex.Path);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"test_files.txt of artifact '{artifact.Metadata.Id}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAll_DiffNamesPathOutsideTheRepository_RefusedAsAnError()
    {
        // Arrange
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestWeakenDiff = valid.TestWeakenDiff + "diff --git a/../victim.py b/../victim.py\nnew file mode 100644\n--- /dev/null\n+++ b/../victim.py\n@@ -0,0 +1 @@\n+x\n" };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => ValidateAllAsync(Samples.Python, artifact));

        // Assert
        Assert.Equal("../victim.py", ex.Path);
        Assert.StartsWith($"test_weaken.diff of artifact '{artifact.Metadata.Id}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAll_BugTurnsASourceFileIntoALinkToAHostFile_RefusedAndTheHostFileIsNotOverwritten()
    {
        // Arrange: the bug replaces inventory/reports.py with a link to a host file. Checking that each changed file
        // matters restores the original file, and a copy onto the link wrote the host file.
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var valid = SampleArtifacts.For(Samples.Python);
        using var clone = new SampleClone(Samples.Python);
        File.Delete(Path.Combine(clone.Path, "inventory", "reports.py"));
        File.CreateSymbolicLink(Path.Combine(clone.Path, "inventory", "reports.py"), sentinel.Path);
        var artifact = valid with { BugInjectDiff = clone.Diff() };

        // Act
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => ValidateAllAsync(Samples.Python, artifact));

        // Assert
        Assert.Equal("inventory/reports.py", ex.Path);
        Assert.Contains("symbolic link", ex.Reason, StringComparison.Ordinal);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task ValidateAll_WeakenTouchesUnlistedTestFile_FailsOnlyCoverage()
    {
        // Arrange
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = valid.TestFiles.Where(f => f != "tests/test_reports.py").ToList() };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.Coverage, "test_weaken.diff touches files not in test_files.txt: tests/test_reports.py");
    }

    [Fact]
    public async Task ValidateAll_WeakenTouchesListedSourceFile_FailsOnlySeparation()
    {
        // Arrange: a source file listed as a "test" (it would be restored before grading) and touched by the weakening.
        var valid = SampleArtifacts.For(Samples.Python);
        using var clone = new SampleClone(Samples.Python);
        clone.Apply(valid.BugInjectDiff).Diff();
        var weaken = clone.Apply(valid.TestWeakenDiff).Append("inventory/stock.py", "\n# Reviewed.\n").Diff();
        var artifact = valid with { TestWeakenDiff = weaken, TestFiles = [.. valid.TestFiles, "inventory/stock.py"] };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.Separation, "test_weaken.diff touches files that are not tests: inventory/stock.py");
    }

    [Fact]
    public async Task ValidateAll_BugAlsoBreaksATestFile_FailsOnlySeparation()
    {
        // Arrange: the bug edits a test too, and that edit matters (restoring the test file fixes a failing test),
        // so only separation objects; the weakening deletes both failing tests.
        var valid = SampleArtifacts.For(Samples.Python);
        using var clone = new SampleClone(Samples.Python);
        var inject = clone.Apply(valid.BugInjectDiff)
            .Replace("tests/test_stock.py", "available(\"NOPE\") == 0", "available(\"NOPE\") == 1")
            .Diff();
        var weaken = clone.Apply(valid.TestWeakenDiff)
            .Replace("tests/test_stock.py", "def test_unknown_sku_has_nothing_available():\n    assert StockLedger().available(\"NOPE\") == 1\n\n\n", "")
            .Diff();
        var artifact = valid with { BugInjectDiff = inject, TestWeakenDiff = weaken };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.Separation, "bug_inject.diff touches test files: tests/test_stock.py");
        Assert.Equal([PythonRegressionTest, "tests/test_stock.py::test_unknown_sku_has_nothing_available"], report.FailToPass.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ValidateAll_FewerChangedFilesThanRequired_FailsOnlyMinChangedFiles()
    {
        // Arrange
        var artifact = SampleArtifacts.For(Samples.Python);

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact, new ValidationOptions { MinChangedFiles = 2 });

        // Assert
        AssertOnlyFailed(report, ValidationChecks.MinChangedFiles, "bug_inject.diff changes 1 file(s) (inventory/reports.py); at least 2 required");
    }

    [Fact]
    public async Task ValidateAll_ParserPrintsStatusesOutsideTheProtocol_FailsOnlyParserRuns()
    {
        // Arrange: the map is readable, but one entry is not a test status the SSR protocol knows.
        var script = SampleArtifacts.WithParserScript(SampleArtifacts.For(Samples.Python));
        var artifact = script with { TestParser = script.TestParser!.Replace("print(json.dumps(results))", "results[\"summary\"] = \"collected\"\nprint(json.dumps(results))", StringComparison.Ordinal) };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.ParserRuns, "summary: \"collected\"");
    }

    [Fact]
    public async Task ValidateAll_ParserPrintsEmptyMap_FailsEveryCheckThatNeedsResults()
    {
        // Arrange: with no results nothing about the behaviour can be known (nor whether the weakened suite ran);
        // the static checks still pass, and no-redundant-edits has no failing test to measure by.
        var script = SampleArtifacts.WithParserScript(SampleArtifacts.For(Samples.Python));
        var artifact = script with { TestParser = "print('{}')\n" };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        Assert.False(report.Valid);
        Assert.Equal(ValidationChecks.ParserRuns, report.FailedCheck);
        Assert.Equal([true, true, true, true, false, false, false, false, true], report.Checks.Select(c => c.Passed));
        Assert.Empty(report.BaselinePassing);
    }

    [Fact]
    public async Task ValidateAll_ScriptExitsNonZeroAfterPassingTests_FailsOnlyOriginalPasses()
    {
        // Arrange: the tests pass but the script itself fails on the original (as a failing build step would).
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestScript = valid.TestScript + "exit 3\n" };

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.OriginalPasses, "test_script.sh exited 3 on the original though no test failed");
    }

    [Fact]
    public async Task ValidateAll_FewerPassingTestsThanRequired_FailsOnlyOriginalPasses()
    {
        // Arrange
        var artifact = SampleArtifacts.For(Samples.Python);

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact, new ValidationOptions { MinPassingTests = 92 });

        // Assert
        AssertOnlyFailed(report, ValidationChecks.OriginalPasses, "91 of 92 tests pass on the original; at least 92 required");
    }

    [Theory]
    [InlineData(Samples.Python, "inventory/reports.py", HarmlessPythonComment)]
    [InlineData(Samples.Go, "stats/freq.go", "\n// TopN breaks ties alphabetically.\n")]
    public async Task ValidateAll_BugBreaksNothing_FailsOnlyBugIsReal(string sample, string file, string comment)
    {
        // Arrange: before the fix no-redundant-edits failed too (no file can fix a test that never failed).
        var valid = SampleArtifacts.For(sample);
        using var clone = new SampleClone(sample);
        var artifact = valid with { BugInjectDiff = clone.Append(file, comment).Diff() };

        // Act
        var report = await ValidateAllAsync(sample, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.BugIsReal, "0 baseline-passing test(s) fail with the bug");
        Assert.Empty(report.FailToPass);
        Assert.Contains("not measurable", report.Checks.Single(c => c.Name == ValidationChecks.NoRedundantEdits).Evidence, StringComparison.Ordinal);
        Assert.Equal(2, RunsBesidesBaseline(report));
    }

    [Fact]
    public async Task ValidateAll_BugBreaksMoreTestsThanTheOption_FailsOnlyBugIsReal()
    {
        // Arrange
        var artifact = SampleArtifacts.For(Samples.Python);

        // Act
        var report = await ValidateAllAsync(Samples.Python, artifact, new ValidationOptions { MinFailingTests = 2 });

        // Assert
        AssertOnlyFailed(report, ValidationChecks.BugIsReal, "1 baseline-passing test(s) fail with the bug (" + PythonRegressionTest + "); 90 still pass; need at least 2 failing");
    }

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    public async Task ValidateAll_NothingWeakened_FailsOnlyBugIsHidden(string sample)
    {
        // Arrange
        var artifact = SampleArtifacts.For(sample) with { TestWeakenDiff = "" };

        // Act
        var report = await ValidateAllAsync(sample, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.BugIsHidden, "still failing with the weakened tests: ");
        var evidence = report.Checks.Single(c => c.Name == ValidationChecks.BugIsHidden).Evidence;
        Assert.Contains(report.FailToPass, id => evidence.Contains(id, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Samples.Python, "inventory/stock.py", "\n# Levels never go negative.\n")]
    [InlineData(Samples.Go, "wrap/wrap.go", "\n// Width counts runes, not bytes.\n")]
    public async Task ValidateAll_BugPaddedWithHarmlessEdit_FailsOnlyNoRedundantEdits(string sample, string padding, string comment)
    {
        // Arrange
        var valid = SampleArtifacts.For(sample);
        using var clone = new SampleClone(sample);
        var artifact = valid with { BugInjectDiff = clone.Apply(valid.BugInjectDiff).Append(padding, comment).Diff() };

        // Act
        var report = await ValidateAllAsync(sample, artifact);

        // Assert
        AssertOnlyFailed(report, ValidationChecks.NoRedundantEdits, "(padding): " + padding);
        Assert.DoesNotContain(padding, string.Join(" ", report.FailToPass), StringComparison.Ordinal);
        Assert.Equal(4, RunsBesidesBaseline(report));
    }

    [Theory]
    [InlineData(Samples.Python, "inventory/stock.py", "\n# Levels never go negative.\n")]
    [InlineData(Samples.Go, "wrap/wrap.go", "\n// Width counts runes, not bytes.\n")]
    public async Task ValidateAll_PaddedBugWhosePartIsKnown_SameVerdictWithoutTheRunThatRepeatsThePart(string sample, string padding, string comment)
    {
        // Arrange: the valid bug, validated, is a known part; the padded bug less its padding is that part.
        var environment = await SampleEnvironments.GetAsync(sample);
        var validator = new ArtifactValidator(SampleEnvironments.Sandboxes, new ValidationOptions { StopAtFirstFailure = false });
        var valid = SampleArtifacts.For(sample);
        using var clone = new SampleClone(sample);
        var padded = valid with { BugInjectDiff = clone.Apply(valid.BugInjectDiff).Append(padding, comment).Diff() };
        var part = valid with
        {
            BugInjectDiff = string.Concat(UnifiedDiff.Parse(padded.BugInjectDiff).Where(s => s.Path != padding).Select(s => s.Text)),
        };
        part = part with { Metadata = part.Metadata with { Validation = await validator.ValidateAsync(environment, part) } };
        var partOfAnotherScript = part with { TestScript = part.TestScript + "\n# another script\n" };

        // Act
        var alone = await validator.ValidateAsync(environment, padded);
        var withPart = await validator.ValidateAsync(environment, padded, buggyRun: null, knownBugs: [part]);
        var withOtherScript = await validator.ValidateAsync(environment, padded, buggyRun: null, knownBugs: [partOfAnotherScript]);

        // Assert: the same checks with the same evidence; restoring the padding needed no run.
        Assert.True(part.Metadata.Validation!.Valid);
        AssertOnlyFailed(withPart, ValidationChecks.NoRedundantEdits, "(padding): " + padding);
        Assert.Equal(alone.Checks.Select(c => (c.Name, c.Passed, c.Evidence)), withPart.Checks.Select(c => (c.Name, c.Passed, c.Evidence)));
        Assert.Equal(RunsBesidesBaseline(alone) - 1, RunsBesidesBaseline(withPart));
        Assert.Equal(RunsBesidesBaseline(alone), RunsBesidesBaseline(withOtherScript));
    }

    private static async Task<ValidationReport> ValidateAllAsync(string sample, BugArtifact artifact, ValidationOptions? options = null)
    {
        var environment = await SampleEnvironments.GetAsync(sample);
        var validator = new ArtifactValidator(SampleEnvironments.Sandboxes, (options ?? new ValidationOptions()) with { StopAtFirstFailure = false });
        return await validator.ValidateAsync(environment, artifact);
    }

    /// <summary>The runs of one validation, less the baseline run when it was made rather than reused.</summary>
    private static int RunsBesidesBaseline(ValidationReport report) =>
        report.TestRuns - (report.Checks.Single(c => c.Name == ValidationChecks.OriginalPasses).Evidence.Contains("(baseline reused)", StringComparison.Ordinal) ? 0 : 1);

    private static void AssertOnlyFailed(ValidationReport report, string check, string evidence)
    {
        var expected = ValidationChecks.All.Select(c => $"{c}: {(c == check ? "FAILED" : "passed")}");
        var actual = report.Checks.Select(c => $"{c.Name}: {(c.Passed ? "passed" : "FAILED")}");
        Assert.True(expected.SequenceEqual(actual), Describe(report));
        Assert.False(report.Valid);
        Assert.Equal(check, report.FailedCheck);
        Assert.Contains(evidence, report.Checks.Single(c => c.Name == check).Evidence, StringComparison.Ordinal);
    }
}
