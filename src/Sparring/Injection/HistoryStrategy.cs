using System.Runtime.CompilerServices;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>
/// History rollback (spec §1.2): undoes the source part of an earlier commit that changed both source and
/// tests, re-introducing a bug that developers once fixed. The reverse is made against the current tree:
/// when it does not apply whole, the hunks that still apply are kept.
/// </summary>
/// <remarks>
/// Commits are taken newest first (merges and the root commit are skipped). A source file the commit created
/// is left alone: deleting it gives a missing-module error, not a behaviour bug. With a file target only that
/// file is reverted; with a symbol target only hunks that overlap the symbol's lines.
/// </remarks>
public sealed class HistoryStrategy : IBugStrategy
{
    private static readonly string[] DocumentExtensions = [".md", ".rst", ".txt", ".adoc", ".json", ".toml", ".yml", ".yaml", ".lock", ".sum"];

    /// <summary>Commits of the log looked at (newest first).</summary>
    public int MaxCommits { get; init; } = 500;

    public string Name => "history";

    public async IAsyncEnumerable<BugCandidate> CandidatesAsync(InjectionContext context, Random random, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var head = context.Environment.Snapshot.Commit;
        var log = await context.Repository.LogAsync(head, MaxCommits, cancellationToken).ConfigureAwait(false);
        var sourceFiles = context.SourceFiles.ToHashSet(StringComparer.Ordinal);
        foreach (var commit in log.Where(c => c.Parents.Count == 1))
        {
            var sources = commit.Files
                .Where(f => IsCode(f.Path) && !TestPaths.LooksLikeTest(f.Path) && sourceFiles.Contains(f.Path))
                .Select(f => f.Path)
                .ToList();
            if (sources.Count == 0 || !commit.Files.Any(f => TestPaths.LooksLikeTest(f.Path)))
            {
                continue;
            }

            if (context.Target is { } target && sourceFiles.Contains(target))
            {
                sources = sources.Where(p => p == target).ToList();
            }

            sources = await ExistedBeforeAsync(context.Repository, commit.Parents[0], sources, cancellationToken).ConfigureAwait(false);
            if (sources.Count == 0)
            {
                continue;
            }

            var reverse = await Git.RunAsync(
                context.Repository.Root,
                ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", commit.Id, commit.Parents[0], "--", .. sources],
                cancellationToken).ConfigureAwait(false);
            var diff = await SelectAsync(context, reverse, cancellationToken).ConfigureAwait(false);
            if (diff is null)
            {
                continue;
            }

            var shortId = commit.Id[..10];
            var paths = UnifiedDiff.Parse(diff.Value.Diff).Select(s => s.Path).ToList();
            yield return new BugCandidate
            {
                Strategy = Name,
                BugInjectDiff = diff.Value.Diff,
                Description = diff.Value.Partial
                    ? $"reverted {diff.Value.Kept} of {diff.Value.Total} source hunks of {shortId} \"{commit.Subject}\""
                    : $"reverted the source part of {shortId} \"{commit.Subject}\"",
                Targets = paths,
            };
        }
    }

    /// <summary>The whole reverse when it applies; otherwise the hunks that apply (one by one, then together); null when none does.</summary>
    private static async Task<(string Diff, bool Partial, int Kept, int Total)?> SelectAsync(InjectionContext context, string reverse, CancellationToken cancellationToken)
    {
        var tree = context.Environment.TreePath;
        var sections = UnifiedDiff.Parse(reverse).Where(s => s.Hunks.Count > 0).ToList();
        var total = sections.Sum(s => s.Hunks.Count);
        if (context.Target is { } target && !context.SourceFiles.Contains(target))
        {
            sections = await OverlappingAsync(context, sections, target, cancellationToken).ConfigureAwait(false);
        }

        if (sections.Count == 0)
        {
            return null;
        }

        var whole = string.Concat(sections.Select(s => s.Text));
        if (sections.Sum(s => s.Hunks.Count) == total && await DiffApplier.CanApplyAsync(tree, whole, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return (whole, false, total, total);
        }

        var kept = new List<string>();
        var keptHunks = 0;
        foreach (var section in sections)
        {
            var hunks = new List<DiffHunk>();
            foreach (var hunk in section.Hunks)
            {
                // Cumulative: each hunk must apply together with those kept before it in the same file.
                var attempt = section with { Hunks = [.. hunks, hunk] };
                if (await DiffApplier.CanApplyAsync(tree, attempt.Text, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    hunks.Add(hunk);
                }
            }

            if (hunks.Count > 0)
            {
                kept.Add((section with { Hunks = hunks }).Text);
                keptHunks += hunks.Count;
            }
        }

        var selected = string.Concat(kept);
        return keptHunks > 0 && await DiffApplier.CanApplyAsync(tree, selected, cancellationToken: cancellationToken).ConfigureAwait(false)
            ? (selected, keptHunks < total, keptHunks, total)
            : null;
    }

    /// <summary>With a symbol target: the hunks that overlap the symbol's lines in the current tree.</summary>
    private static async Task<List<DiffFileSection>> OverlappingAsync(InjectionContext context, List<DiffFileSection> sections, string target, CancellationToken cancellationToken)
    {
        var symbols = await context.Symbols.FindAsync(context.Environment.TreePath, sections.Select(s => s.Path).ToList(), cancellationToken).ConfigureAwait(false);
        var named = symbols.Where(s => s.Name == target || $"{s.Path}:{s.Name}" == target || (s.Scope is not null && $"{s.Scope}.{s.Name}" == target)).ToList();
        return sections
            .Select(s => s with { Hunks = s.Hunks.Where(h => named.Any(n => n.Path == s.Path && h.OldStart <= n.EndLine && h.OldEnd >= n.StartLine)).ToList() })
            .Where(s => s.Hunks.Count > 0)
            .ToList();
    }

    private static async Task<List<string>> ExistedBeforeAsync(GitRepository repository, string parent, List<string> paths, CancellationToken cancellationToken)
    {
        var existed = new List<string>();
        foreach (var path in paths)
        {
            if (await repository.ReadFileAsync(parent, path, cancellationToken).ConfigureAwait(false) is not null)
            {
                existed.Add(path);
            }
        }

        return existed;
    }

    private static bool IsCode(string path) =>
        Path.GetExtension(path) is { Length: > 0 } extension && !DocumentExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) && InjectablePaths.IsInjectable(path);
}
