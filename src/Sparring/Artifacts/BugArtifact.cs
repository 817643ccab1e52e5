namespace Sparring.Artifacts;

/// <summary>
/// An SSR bug artifact (spec §1.1): the five files, kept verbatim so artifacts move to and from other
/// SSR-style tools, plus Sparring's own <see cref="ArtifactMetadata"/>.
/// </summary>
public sealed record BugArtifact
{
    /// <summary><c>bug_inject.diff</c>: introduces the bug into source files.</summary>
    public required string BugInjectDiff { get; init; }

    /// <summary><c>test_weaken.diff</c>: removes or weakens the tests that would reveal it.</summary>
    public required string TestWeakenDiff { get; init; }

    /// <summary><c>test_files.txt</c>: every test file, restored to its original content before grading.</summary>
    public required IReadOnlyList<string> TestFiles { get; init; }

    /// <summary><c>test_script.sh</c>: runs the suite from the repository root, as <c>bash test_script.sh &gt; log 2&gt;&amp;1</c>.</summary>
    public required string TestScript { get; init; }

    /// <summary><c>test_parser.py</c>: reads the log on stdin, prints <c>{"id": "passed"|"failed"}</c>. Null when <see cref="ArtifactMetadata.Parser"/> names a built-in parser.</summary>
    public string? TestParser { get; init; }

    /// <summary><c>pred_patch.diff</c> of a higher-order bug: the failed solver patch applied on top of inject and weaken.</summary>
    public string? PredPatch { get; init; }

    public required ArtifactMetadata Metadata { get; init; }
}
