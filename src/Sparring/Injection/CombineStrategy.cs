using System.Runtime.CompilerServices;
using Sparring.Artifacts;
using Sparring.Repos;

namespace Sparring.Injection;

/// <summary>
/// Higher-scope bugs from smaller ones: merges bugs already shown valid in this run that change DIFFERENT
/// files into one candidate, so it reaches <see cref="InjectionContext.MinChangedFiles"/> (at least two bugs
/// per candidate). The diffs of disjoint files are concatenated and the result checked to apply.
/// </summary>
/// <remarks>
/// The pool is read when enumeration starts; the <see cref="Injector"/> starts it again whenever the pool
/// has grown. Groups already offered are remembered by this instance and never offered twice.
/// </remarks>
public sealed class CombineStrategy : IBugStrategy
{
    private readonly Func<IReadOnlyList<BugArtifact>> _pool;
    private readonly HashSet<string> _offered = new(StringComparer.Ordinal);

    /// <param name="pool">The bugs found valid so far (an artifact rejected only for changing too few files counts too).</param>
    public CombineStrategy(Func<IReadOnlyList<BugArtifact>> pool) => _pool = pool;

    public string Name => "combine";

    public async IAsyncEnumerable<BugCandidate> CandidatesAsync(InjectionContext context, Random random, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(random);
        var parts = _pool()
            .Select(a => (Artifact: a, Paths: UnifiedDiff.Parse(a.BugInjectDiff).Select(s => s.Path).ToHashSet(StringComparer.Ordinal)))
            .Where(p => p.Paths.Count > 0)
            .ToArray();
        random.Shuffle(parts);
        var needed = Math.Max(2, context.MinChangedFiles);
        foreach (var group in Groups(parts.Length, i => parts[i].Paths, needed))
        {
            var chosen = group.Select(i => parts[i]).OrderBy(p => p.Artifact.Metadata.Id, StringComparer.Ordinal).ToList();
            var key = string.Join("+", chosen.Select(p => p.Artifact.Metadata.Id));
            if (!_offered.Add(key))
            {
                continue;
            }

            var diff = UnifiedDiff.Join(chosen.Select(p => p.Artifact.BugInjectDiff));
            if (!await DiffApplier.CanApplyAsync(context.Environment.TreePath, diff, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            yield return new BugCandidate
            {
                Strategy = Name,
                BugInjectDiff = diff,
                Description = $"combined {string.Join(", ", chosen.Select(p => p.Artifact.Metadata.Id))}",
                Targets = chosen.SelectMany(p => p.Paths).Order(StringComparer.Ordinal).ToList(),
            };
        }
    }

    /// <summary>Groups of at least two parts with pairwise disjoint files that together change at least <paramref name="needed"/> files, smallest groups first.</summary>
    private static IEnumerable<int[]> Groups(int count, Func<int, HashSet<string>> paths, int needed)
    {
        for (var size = 2; size <= Math.Min(count, needed); size++)
        {
            foreach (var group in Choose(count, size, 0, []))
            {
                var files = new HashSet<string>(StringComparer.Ordinal);
                if (group.All(i => paths(i).All(files.Add)) && files.Count >= needed)
                {
                    yield return group;
                }
            }
        }
    }

    private static IEnumerable<int[]> Choose(int count, int size, int from, int[] prefix)
    {
        if (prefix.Length == size)
        {
            yield return prefix;
            yield break;
        }

        for (var i = from; i < count; i++)
        {
            foreach (var group in Choose(count, size, i + 1, [.. prefix, i]))
            {
                yield return group;
            }
        }
    }
}
