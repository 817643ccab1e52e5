namespace Sparring.Selection;

/// <summary>The test-time selectors by name, for options and reports.</summary>
public static class Selectors
{
    public static IReadOnlyList<string> Names { get; } = [KimiDevSelector.Name, SweSwissSelector.Name, HybridSelector.Name, InfCodeSelector.Name];

    /// <summary>The selectors named in a comma-separated list, in the order given, each once.</summary>
    /// <exception cref="ArgumentException">A name is unknown or the list is empty.</exception>
    public static IReadOnlyList<string> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException($"--select names no selector (known: {string.Join(", ", Names)})");
        }

        if (names.FirstOrDefault(n => !Names.Contains(n)) is { } unknown)
        {
            throw new ArgumentException($"--select: unknown selector '{unknown}' (known: {string.Join(", ", Names)})");
        }

        return names;
    }
}
