namespace Sparring.Injection;

/// <summary>What <see cref="TestWeakener"/> did: the <c>test_weaken.diff</c> and the tests it deleted or could not find.</summary>
public sealed record TestWeakening
{
    /// <summary>The diff deleting the tests, against the tree it was made from; empty when nothing was found.</summary>
    public required string Diff { get; init; }

    /// <summary>The deleted tests, as <c>path:line name</c>.</summary>
    public required IReadOnlyList<string> Deleted { get; init; }

    /// <summary>Test ids that matched no test function in any test file.</summary>
    public required IReadOnlyList<string> Unresolved { get; init; }

    /// <summary>True when every id was found (the weakening can hide the bug).</summary>
    public bool Complete => Unresolved.Count == 0 && Diff.Length > 0;
}
