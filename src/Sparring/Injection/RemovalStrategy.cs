using System.Globalization;
using System.Runtime.CompilerServices;
using Sparring.Repos;
using Sparring.Injection.Code;

namespace Sparring.Injection;

/// <summary>
/// The paper's strongest strategy: replaces the bodies of substantial functions, in at least
/// <see cref="InjectionContext.MinChangedFiles"/> files, with neutral stubs that still build and run
/// (Python <c>return None</c>, Go zero values, JavaScript <c>return undefined;</c>, C# <c>return default!;</c>),
/// so callers get wrong results instead of a missing-symbol error.
/// </summary>
/// <remarks>
/// Files are picked first, then one function in each (larger functions more often). Each candidate is a
/// different set of functions; the enumeration ends when <see cref="MaxCandidates"/> are given or no new set turns up.
/// Functions whose stub cannot be made safely (trivial bodies, constructors, iterators, unknown Go result types) are skipped.
/// </remarks>
public sealed class RemovalStrategy : IBugStrategy
{
    /// <summary>Functions shorter than this (in lines, signature included) are not removed.</summary>
    public int MinLines { get; init; } = 5;

    /// <summary>At most this many candidates.</summary>
    public int MaxCandidates { get; init; } = 200;

    public string Name => "removal";

    public async IAsyncEnumerable<BugCandidate> CandidatesAsync(InjectionContext context, Random random, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(random);
        var scope = await InjectionScope.LoadAsync(context, cancellationToken).ConfigureAwait(false);
        var stubs = new List<(Symbol Symbol, Edit Edit)>();
        foreach (var symbol in scope.Functions.Where(s => s.LineCount >= MinLines))
        {
            if (Stubs.Stub(scope.Source(symbol.Path), symbol) is { } edit)
            {
                stubs.Add((symbol, edit));
            }
        }

        var targets = stubs.Where(s => scope.IsTarget(s.Symbol)).ToList();
        if (targets.Count == 0)
        {
            yield break;
        }

        var byFile = stubs.GroupBy(s => s.Symbol.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var files = byFile.Keys.Order(StringComparer.Ordinal).ToList();
        var targetFiles = targets.Select(t => t.Symbol.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var wanted = Math.Max(1, context.MinChangedFiles);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var given = 0;
        for (var misses = 0; given < MaxCandidates && misses < 50;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chosen = Choose(random, scope.HasTarget ? targetFiles : files, files, byFile, targets, scope.HasTarget, wanted);
            var key = string.Join('|', chosen.Select(c => InjectionScope.Key(c.Symbol)).Order(StringComparer.Ordinal));
            if (!seen.Add(key) || scope.ApplyEdits(chosen.Select(c => (c.Symbol.Path, c.Edit))) is not { Count: > 0 } edited)
            {
                misses++;
                continue;
            }

            misses = 0;
            given++;
            var diff = await CandidateDiff.MakeAsync(context.Environment.TreePath, edited, cancellationToken).ConfigureAwait(false);
            yield return new BugCandidate
            {
                Strategy = Name,
                BugInjectDiff = diff,
                Description = string.Join("; ", chosen.Select(c =>
                    string.Create(CultureInfo.InvariantCulture, $"removed the body of {c.Symbol.Path}:{InjectionScope.Qualified(c.Symbol)} ({c.Symbol.LineCount} lines)"))),
                Targets = [.. chosen.Select(c => c.Symbol.Path).Distinct(StringComparer.Ordinal), .. chosen.Select(c => $"{c.Symbol.Path}:{InjectionScope.Qualified(c.Symbol)}")],
            };
        }
    }

    /// <summary>One function from each of <paramref name="wanted"/> files; with a target, the first is a targeted function.</summary>
    private static List<(Symbol Symbol, Edit Edit)> Choose(
        Random random, List<string> firstFiles, List<string> files, Dictionary<string, List<(Symbol Symbol, Edit Edit)>> byFile,
        List<(Symbol Symbol, Edit Edit)> targets, bool hasTarget, int wanted)
    {
        var chosen = new List<(Symbol Symbol, Edit Edit)>();
        var firstFile = firstFiles[random.Next(firstFiles.Count)];
        var firstPool = hasTarget ? targets.Where(t => t.Symbol.Path == firstFile).ToList() : byFile[firstFile];
        chosen.Add(Pick(random, firstPool));
        var others = files.Where(f => f != firstFile).ToList();
        while (chosen.Count < wanted && others.Count > 0)
        {
            var index = random.Next(others.Count);
            chosen.Add(Pick(random, byFile[others[index]]));
            others.RemoveAt(index);
        }

        return chosen;
    }

    /// <summary>A function weighted by its length: large removals teach more than small ones.</summary>
    private static (Symbol Symbol, Edit Edit) Pick(Random random, List<(Symbol Symbol, Edit Edit)> pool)
    {
        var total = pool.Sum(p => p.Symbol.LineCount);
        var roll = random.Next(total);
        foreach (var item in pool)
        {
            roll -= item.Symbol.LineCount;
            if (roll < 0)
            {
                return item;
            }
        }

        return pool[^1];
    }
}
