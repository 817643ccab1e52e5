namespace Sparring.Training;

/// <summary>
/// The outcome of a filter: what it kept and everything it did to the rest. Nothing is dropped silently —
/// every item of the input is either in <see cref="Kept"/> or in <see cref="Removed"/>.
/// </summary>
/// <typeparam name="T">The filtered item.</typeparam>
public sealed record FilterResult<T>
{
    /// <summary>The items that go on, in input order; masked and adjusted items in their new form.</summary>
    public required IReadOnlyList<T> Kept { get; init; }

    /// <summary>The items dropped, each with its reason.</summary>
    public IReadOnlyList<FilterDecision<T>> Removed { get; init; } = [];

    /// <summary>Items this filter masked: they are also in <see cref="Kept"/>, with the mask set.</summary>
    public IReadOnlyList<FilterDecision<T>> Masked { get; init; } = [];

    /// <summary>Items whose reward this filter changed: they are also in <see cref="Kept"/>, changed.</summary>
    public IReadOnlyList<FilterDecision<T>> Adjusted { get; init; } = [];
}
