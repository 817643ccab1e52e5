namespace Sparring.Injection;

/// <summary>A proposed bug before it is tested: the source change only (the weakening comes after the tests show what it breaks).</summary>
public sealed record BugCandidate
{
    /// <summary>The strategy that made it (<c>removal</c>, <c>mutation</c>, <c>history</c>, <c>combine</c>).</summary>
    public required string Strategy { get; init; }

    /// <summary>The would-be <c>bug_inject.diff</c>, against the original tree.</summary>
    public required string BugInjectDiff { get; init; }

    /// <summary>What was done, in words (e.g. "removed the body of inventory/pricing.py:quote"), for reports.</summary>
    public required string Description { get; init; }

    /// <summary>The files (and symbols, as <c>path:name</c>) it touches.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
}
