using System.Runtime.CompilerServices;
using Sparring.Injection.Code;

namespace Sparring.Injection;

/// <summary>
/// SWE-smith-style procedural bugs: one small modifier (flip a comparison, arithmetic or boolean operator,
/// shift an integer constant, invert an if, remove an assignment, a guard or a break/continue, swap two
/// dependent statements) inside a function above a complexity threshold; one per file, in at least
/// <see cref="InjectionContext.MinChangedFiles"/> files.
/// </summary>
/// <remarks>
/// Edits touch code only, never strings or comments. Some candidates may not build (e.g. '+' flipped on
/// strings in a line without literals); the injector's validator rejects those.
/// </remarks>
public sealed class MutationStrategy : IBugStrategy
{
    /// <summary>At most this many candidates.</summary>
    public int MaxCandidates { get; init; } = 300;

    public string Name => "mutation";

    public async IAsyncEnumerable<BugCandidate> CandidatesAsync(InjectionContext context, Random random, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(random);
        var scope = await InjectionScope.LoadAsync(context, cancellationToken).ConfigureAwait(false);
        var mutations = new List<Mutation>();
        foreach (var symbol in scope.Functions)
        {
            var source = scope.Source(symbol.Path);
            if (Mutators.IsComplexEnough(source, symbol))
            {
                mutations.AddRange(Mutators.Find(source, symbol));
            }
        }

        // Nested functions are listed with their parents: the same site may be found twice.
        mutations = mutations.DistinctBy(m => (m.Symbol.Path, m.Edit.Start, m.Edit.Length, m.Edit.Replacement)).ToList();
        var primary = mutations.Where(m => scope.IsTarget(m.Symbol)).ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(primary));
        var wanted = Math.Max(1, context.MinChangedFiles);
        var byFile = mutations.GroupBy(m => m.Symbol.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var files = byFile.Keys.Order(StringComparer.Ordinal).ToList();
        var given = 0;
        foreach (var first in primary)
        {
            if (given >= MaxCandidates)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var chosen = new List<Mutation> { first };
            var others = files.Where(f => f != first.Symbol.Path).ToList();
            while (chosen.Count < wanted && others.Count > 0)
            {
                var index = random.Next(others.Count);
                var pool = byFile[others[index]];
                chosen.Add(pool[random.Next(pool.Count)]);
                others.RemoveAt(index);
            }

            if (scope.ApplyEdits(chosen.Select(m => (m.Symbol.Path, m.Edit))) is not { Count: > 0 } edited)
            {
                continue;
            }

            given++;
            yield return new BugCandidate
            {
                Strategy = Name,
                BugInjectDiff = await CandidateDiff.MakeAsync(context.Environment.TreePath, edited, cancellationToken).ConfigureAwait(false),
                Description = string.Join("; ", chosen.Select(m => $"{m.Kind}: {m.Description}")),
                Targets = [.. chosen.Select(m => m.Symbol.Path).Distinct(StringComparer.Ordinal), .. chosen.Select(m => $"{m.Symbol.Path}:{InjectionScope.Qualified(m.Symbol)}").Distinct(StringComparer.Ordinal)],
            };
        }
    }
}
