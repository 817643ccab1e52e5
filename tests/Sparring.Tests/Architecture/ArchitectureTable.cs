namespace Sparring.Tests.Architecture;

/// <summary>
/// The table of parts in <c>docs/architecture.md</c> (part, folder, owns, may use) and the rules it sets: a part
/// uses only the parts it lists, never another part's <c>Internal</c> namespace, and no part depends on itself
/// through others.
/// </summary>
public sealed class ArchitectureTable
{
    private ArchitectureTable(Dictionary<string, (string Folder, SortedSet<string> MayUse)> parts) => Parts = parts;

    public IReadOnlyDictionary<string, (string Folder, SortedSet<string> MayUse)> Parts { get; }

    public static ArchitectureTable Read(string markdownPath)
    {
        var parts = new Dictionary<string, (string, SortedSet<string>)>(StringComparer.Ordinal);
        var inTable = false;
        foreach (var line in File.ReadLines(markdownPath))
        {
            if (line.StartsWith("| part | folder | owns | may use |", StringComparison.Ordinal))
            {
                inTable = true;
                continue;
            }

            if (!inTable || line.StartsWith("|---", StringComparison.Ordinal))
            {
                continue;
            }

            if (!line.StartsWith('|'))
            {
                break;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var mayUse = cells[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split(' ')[0]); // "Artifacts (only …)": the words after the part say why
            parts[cells[0]] = (cells[1].Trim('`'), new SortedSet<string>(mayUse, StringComparer.Ordinal));
        }

        return new ArchitectureTable(parts);
    }

    /// <summary>Every way <paramref name="dependencies"/> breaks the table, one line each with examples.</summary>
    public IReadOnlyList<string> Violations(PartDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var violations = new List<string>();
        violations.AddRange(dependencies.Parts.Where(p => !Parts.ContainsKey(p)).Select(p => $"part {p} is not in the table"));
        foreach (var ((from, to), examples) in dependencies.Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal))
        {
            if (Parts.TryGetValue(from, out var row) && !row.MayUse.Contains(to))
            {
                violations.Add($"{from} uses {to}, which its row does not allow: {string.Join("; ", examples)}");
            }
        }

        violations.AddRange(dependencies.InternalReachIns.Select(r => $"another part's Internal namespace is used: {r}"));
        if (Cycle(dependencies.Edges.Keys) is { } cycle)
        {
            violations.Add($"cycle: {string.Join(" → ", cycle)}");
        }

        return violations;
    }

    /// <summary>A cycle among <paramref name="edges"/> (first part repeated at the end), or null when there is none.</summary>
    public static IReadOnlyList<string>? Cycle(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.Where(e => e.From != e.To).GroupBy(e => e.From, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string part)
        {
            if (path.IndexOf(part) is var at and >= 0)
            {
                return [.. path.Skip(at), part];
            }

            if (!done.Add(part))
            {
                return null;
            }

            path.Add(part);
            foreach (var to in next.GetValueOrDefault(part) ?? [])
            {
                if (Visit(to) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return next.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    /// <summary>The table's own allowed edges (a part that may use another).</summary>
    public IEnumerable<(string From, string To)> AllowedEdges() =>
        Parts.SelectMany(p => p.Value.MayUse.Select(to => (p.Key, to)));
}
