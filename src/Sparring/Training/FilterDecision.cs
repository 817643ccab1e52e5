namespace Sparring.Training;

/// <summary>What a filter did to one item, and why.</summary>
/// <typeparam name="T">The filtered item (a rollout, a group, a task).</typeparam>
public sealed record FilterDecision<T>
{
    /// <summary>The item: as it was when removed; as it now is when masked or adjusted.</summary>
    public required T Item { get; init; }

    /// <summary>The filter that decided (<c>dynamic-sampling</c>, <c>compact</c>, <c>staleness</c>, …).</summary>
    public required string Filter { get; init; }

    /// <summary>A human-readable reason quoting the numbers that decided.</summary>
    public required string Reason { get; init; }
}
