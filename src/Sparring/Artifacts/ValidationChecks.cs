namespace Sparring.Artifacts;

/// <summary>The names of the consistency checks, in the order they run.</summary>
public static class ValidationChecks
{
    /// <summary>Every path in test_files.txt exists in the original repository.</summary>
    public const string TestFilesExist = "test-files-exist";

    /// <summary>Every file test_weaken.diff touches is listed in test_files.txt.</summary>
    public const string Coverage = "coverage";

    /// <summary>bug_inject.diff touches no test file; the listed files test_weaken.diff touches all look like tests.</summary>
    public const string Separation = "separation";

    /// <summary>bug_inject.diff changes at least the minimum number of source files.</summary>
    public const string MinChangedFiles = "min-changed-files";

    /// <summary>The parser runs on the original's log and yields a non-empty map.</summary>
    public const string ParserRuns = "parser-runs";

    /// <summary>The test script passes on the original (fixing the baseline set of passing tests).</summary>
    public const string OriginalPasses = "original-passes";

    /// <summary>With the bug, some baseline-passing tests fail and some still pass.</summary>
    public const string BugIsReal = "bug-is-real";

    /// <summary>With the bug and the weakened tests, the failures are gone.</summary>
    public const string BugIsHidden = "bug-is-hidden";

    /// <summary>Restoring any one changed file makes some failing test pass again (inverse mutation testing).</summary>
    public const string NoRedundantEdits = "no-redundant-edits";

    public static IReadOnlyList<string> All { get; } =
    [
        TestFilesExist, Coverage, Separation, MinChangedFiles, ParserRuns, OriginalPasses, BugIsReal, BugIsHidden, NoRedundantEdits,
    ];
}
