using System.Globalization;
using System.Text.RegularExpressions;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Injection.Code;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// A generate-and-validate repair baseline (spec §1.2, issue 4 item 5): starting from the solver's tree, it
/// tries single edits in non-test source files — comparison, arithmetic and boolean operator flips, integer
/// constants shifted by one either way, inverted if conditions — most suspicious first, within a budget of
/// test runs, and returns the first edit the real <see cref="Grader"/> accepts. It never reads
/// <c>bug_inject.diff</c>: it sees what a solver sees, the broken tree and the tests grading restores.
/// </summary>
/// <remarks>
/// Fault localisation: a function is suspicious when the diagnostic run's log or the restored tests call it
/// by name (<c>name(</c>), less so when they name its file's module; ties are broken by a seeded shuffle.
/// Failing tests first: for a script <see cref="FailingTestsScript"/> can narrow (pytest, <c>go test ./...</c>, the
/// detected <c>dotnet test</c> and <c>node --test</c> scripts), each edit runs only the previously failing tests first
/// and is dropped when one still fails; the full suite runs for edits that fix them all, and for an edit whose narrowed
/// run left a failing test out (after which, if the suite does run that test, the narrowing is given up).
/// The first run, the whole suite on the broken tree, is the same for every attempt at a bug: it is kept in the
/// environment's directory and read by the attempts after the first (still counted as a run, so the search is the same).
/// Deterministic for a seed, the artifact and the tree; not thread-safe.
/// </remarks>
public sealed partial class MutationSearchSolver : ISolver
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal) { "flip-comparison", "swap-arithmetic", "swap-boolean", "change-constant", "invert-if" };

    private readonly ISandboxProvider _sandboxes;
    private readonly MutationSearchOptions _options;
    private readonly TimeProvider _time;
    private readonly ISymbolIndex _symbols;

    public MutationSearchSolver(ISandboxProvider sandboxes, MutationSearchOptions? options = null, TimeProvider? time = null, ISymbolIndex? symbols = null)
    {
        _sandboxes = sandboxes ?? throw new ArgumentNullException(nameof(sandboxes));
        _options = (options ?? new MutationSearchOptions()).Validate();
        _time = time ?? TimeProvider.System;
        _symbols = symbols ?? new CtagsSymbolIndex();
    }

    /// <summary>Progress lines (one per edit tried), for stderr.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>
    /// One attempt as a <see cref="SolveAttempt"/>: the search, its fix written to <c>pred_patch.diff</c> in
    /// <paramref name="attemptDirectory"/> (emptied first). Its outcome is solved or unsolved, never tampered: the
    /// candidates are Sparring's own edits of source files. Test runs spent count as turns; there is no trajectory.
    /// </summary>
    public async Task<SolveAttempt> SolveAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(attemptDirectory);
        if (Directory.Exists(attemptDirectory))
        {
            Directory.Delete(attemptDirectory, recursive: true);
        }

        var found = await SolveAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        string? patchPath = null;
        if (found.Patch is { } patch)
        {
            Directory.CreateDirectory(attemptDirectory);
            patchPath = Path.Combine(attemptDirectory, BugArtifactFiles.PredPatch);
            await File.WriteAllTextAsync(patchPath, patch, cancellationToken).ConfigureAwait(false);
        }

        return new SolveAttempt
        {
            Attempt = attempt,
            Solved = found.Solved,
            Exit = found.Solved ? AgentExit.Submitted : AgentExit.TurnLimit,
            ExitDetail = found.Reason,
            Turns = found.Runs,
            PatchPath = patchPath,
            Reasons = found.Grade?.Reasons ?? (found.Reason is { } reason ? [reason] : []),
            DurationMs = Math.Round(found.Seconds * 1000, 1),
        };
    }

    /// <summary>Searches for a single-edit fix of <paramref name="artifact"/>'s bug.</summary>
    /// <exception cref="ArtifactApplyException">The artifact's own diffs do not apply.</exception>
    public async Task<MutationSearchResult> SolveAsync(PreparedEnvironment environment, BugArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        var started = _time.GetTimestamp();
        await using var task = await SolverTaskBuilder.BuildAsync(environment, artifact, cancellationToken).ConfigureAwait(false);

        // The probe: the solver's tree with the restored tests put back, where every edit is tried in place.
        await using var probe = await BrokenTree.CreateAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(task.RestoredTestsDiff))
        {
            await DiffApplier.ApplyAsync(probe.TreePath, task.RestoredTestsDiff, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var runner = new ArtifactTestRunner(_sandboxes, environment, artifact) { ScriptTimeout = _options.ScriptTimeout };
        var (baseline, _) = await runner.BaselineAsync(cancellationToken).ConfigureAwait(false);
        var targets = baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).Distinct(StringComparer.Ordinal).ToList();
        var stats = new Stats();
        MutationSearchResult Result(string? reason, string? patch = null, string? edit = null, GradeResult? grade = null) => new()
        {
            Solved = patch is not null,
            Patch = patch,
            Edit = edit,
            Reason = reason,
            Runs = stats.Runs,
            Tried = stats.Tried,
            Candidates = stats.Candidates,
            EarlyStops = stats.EarlyStops,
            Confirmations = stats.Confirmations,
            Grade = grade,
            Seconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 1),
        };

        if (!baseline.SuiteRan || targets.Count == 0)
        {
            return Result($"the suite has no passing test on the original ({baseline.Evidence})");
        }

        var diagnosis = await RunOnceAsync(runner, probe, task.RestoredTestsDiff, edit: null, cancellationToken).ConfigureAwait(false);
        stats.Runs++;
        var failing = Failing(diagnosis, targets);
        if (failing.Count == 0)
        {
            return Result("no restored test fails on the solver's tree: nothing to fix");
        }

        var candidates = await CandidatesAsync(task.TreePath, diagnosis.Log + "\n" + task.RestoredTestsDiff, cancellationToken).ConfigureAwait(false);
        stats.Candidates = candidates.Count;
        Progress($"{failing.Count} failing test(s); {candidates.Count} candidate edit(s)");
        var subset = SubsetRunner(environment, artifact, failing);
        var grader = new Grader(_sandboxes, new GradeOptions { ScriptTimeout = _options.ScriptTimeout }, _time);
        GradeResult? lastGrade = null;
        foreach (var candidate in candidates)
        {
            if (stats.Runs >= _options.Budget)
            {
                return Result($"the budget of {_options.Budget} test runs is spent after {stats.Tried} of {candidates.Count} edits", grade: lastGrade);
            }

            if (stats.Confirmations >= _options.MaxConfirmations)
            {
                return Result($"{stats.Confirmations} edits passed the tests but not the grader", grade: lastGrade);
            }

            cancellationToken.ThrowIfCancellationRequested();
            stats.Tried++;
            var file = Path.Combine(probe.TreePath, candidate.Path);
            var original = candidate.Source.Text;
            var edited = Edit.Apply(original, [candidate.Edit]);
            await File.WriteAllTextAsync(file, edited, cancellationToken).ConfigureAwait(false);
            try
            {
                List<string> leftOut = [];
                if (subset is not null && stats.Runs + 1 < _options.Budget)
                {
                    var quick = await RunOnceAsync(subset, probe, task.RestoredTestsDiff, (candidate.Path, edited), cancellationToken).ConfigureAwait(false);
                    stats.Runs++;
                    if (StillFailing(quick, failing, out leftOut))
                    {
                        stats.EarlyStops++;
                        Progress($"#{stats.Tried} {candidate.Description}: failing tests still fail");
                        continue;
                    }
                }

                var full = await RunOnceAsync(runner, probe, task.RestoredTestsDiff, (candidate.Path, edited), cancellationToken).ConfigureAwait(false);
                stats.Runs++;
                if (leftOut.Count > 0 && full.Tests.Any(t => leftOut.Contains(t.Id, StringComparer.Ordinal)))
                {
                    // The narrowed script does not run tests the whole suite runs (a runner that names them otherwise
                    // than their ids): it would only cost a run per edit from here on.
                    subset = null;
                    Progress($"the narrowed script left out {leftOut.Count} failing test(s) the suite runs; trying the rest on the whole suite");
                }

                if (full.TimedOut || !full.SuiteRan || Failing(full, targets).Count > 0)
                {
                    Progress($"#{stats.Tried} {candidate.Description}: {Failing(full, targets).Count} test(s) fail");
                    continue;
                }
            }
            finally
            {
                await File.WriteAllTextAsync(file, original, cancellationToken).ConfigureAwait(false);
            }

            var patch = await CandidateDiff.MakeAsync(task.TreePath, new Dictionary<string, string>(StringComparer.Ordinal) { [candidate.Path] = edited }, cancellationToken).ConfigureAwait(false);
            stats.Confirmations++;
            lastGrade = await grader.GradeAsync(environment, artifact, patch, cancellationToken).ConfigureAwait(false);
            Progress($"#{stats.Tried} {candidate.Description}: the tests pass; grader: {(lastGrade.Solved ? "solved" : (lastGrade.Tampered ? "tampered: " : "") + string.Join("; ", lastGrade.Reasons))}");
            if (lastGrade.Solved)
            {
                return Result(null, patch, $"{candidate.Kind}: {candidate.Description}", lastGrade);
            }
        }

        return Result($"no single edit of the {candidates.Count} tried fixes the bug", grade: lastGrade);
    }

    /// <summary>Targets that did not pass in <paramref name="run"/> (missing counts as not passing).</summary>
    private static List<string> Failing(TestRun run, IReadOnlyList<string> targets)
    {
        var passed = run.Tests.GroupBy(t => t.Id, StringComparer.Ordinal)
            .Where(g => g.All(t => t.Status == TestStatus.Passed))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        return targets.Where(id => !passed.Contains(id)).ToList();
    }

    /// <summary>
    /// Whether a run of the narrowed script shows the edit does not fix the failing tests: one of them ran and did not
    /// pass, or nothing ran and the run failed or timed out (the build or collection broke, as it would for the whole
    /// suite). A failing test the run left out (<paramref name="leftOut"/>) decides nothing: the whole suite runs.
    /// </summary>
    private static bool StillFailing(TestRun quick, IReadOnlyList<string> failing, out List<string> leftOut)
    {
        var reported = quick.Tests.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var notPassed = Failing(quick, failing);
        leftOut = notPassed.Where(id => !reported.Contains(id)).ToList();
        return leftOut.Count < notPassed.Count || quick.TimedOut || (quick.Tests.Count == 0 && quick.ExitCode != 0);
    }

    /// <summary>A runner of only the failing tests, when <see cref="FailingTestsScript"/> can narrow the script to them; else null.</summary>
    private ArtifactTestRunner? SubsetRunner(PreparedEnvironment environment, BugArtifact artifact, IReadOnlyList<string> failing) =>
        FailingTestsScript.Narrow(artifact.TestScript, artifact.Metadata.Parser, failing) is { } script
            ? new ArtifactTestRunner(_sandboxes, environment, artifact with { TestScript = script }) { ScriptTimeout = _options.ScriptTimeout }
            : null;

    /// <summary>Every candidate edit in the tree's non-test source files, most suspicious first, ties in a seeded order.</summary>
    private async Task<List<Candidate>> CandidatesAsync(string tree, string evidence, CancellationToken cancellationToken)
    {
        var listed = await Git.RunAsync(tree, ["ls-files", "-z"], cancellationToken).ConfigureAwait(false);
        var files = listed.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !TestPaths.LooksLikeTest(p) && CtagsSymbolIndex.LanguageOf(p) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        var sources = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // A tracked link out of the tree is not the repository's code: editing it would write a host file.
            if (RepoPaths.ProblemOf(tree, file) is null && File.Exists(Path.Combine(tree, file)) && await CandidateDiff.ReadAsync(tree, file, cancellationToken).ConfigureAwait(false) is { } text)
            {
                sources[file] = new SourceText(text, CtagsSymbolIndex.LanguageOf(file)!);
            }
        }

        var symbols = await _symbols.FindAsync(tree, [.. sources.Keys], cancellationToken).ConfigureAwait(false);
        var functions = symbols
            .Where(s => s.Kind is SymbolKind.Function or SymbolKind.Method && sources.ContainsKey(s.Path) && s.EndLine <= sources[s.Path].LineCount + 1)
            .OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.StartLine).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var candidates = new List<Candidate>();
        var seen = new HashSet<(string, int, int, string)>();
        foreach (var symbol in functions)
        {
            var source = sources[symbol.Path];
            var score = Suspicion(symbol, evidence);
            foreach (var mutation in Mutators.Find(source, symbol).Where(m => Kinds.Contains(m.Kind)))
            {
                foreach (var (edit, description) in Variants(source, mutation))
                {
                    if (seen.Add((symbol.Path, edit.Start, edit.Length, edit.Replacement)))
                    {
                        candidates.Add(new Candidate(symbol.Path, source, edit, mutation.Kind, description, score));
                    }
                }
            }
        }

        var random = new Random(_options.Seed);
        var shuffled = candidates.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled.OrderByDescending(c => c.Score)];
    }

    /// <summary>The mutation itself; for a constant also the shift the other way (a repair may need either).</summary>
    private static IEnumerable<(Edit Edit, string Description)> Variants(SourceText source, Mutation mutation)
    {
        yield return (mutation.Edit, mutation.Description);
        if (mutation.Kind == "change-constant"
            && long.TryParse(source.Text.AsSpan(mutation.Edit.Start, mutation.Edit.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && long.TryParse(mutation.Edit.Replacement, NumberStyles.None, CultureInfo.InvariantCulture, out var changed))
        {
            var other = value + (value - changed);
            if (other >= 0 && other != changed)
            {
                var text = other.ToString(CultureInfo.InvariantCulture);
                yield return (mutation.Edit with { Replacement = text }, $"changed the constant {value.ToString(CultureInfo.InvariantCulture)} to {text} in {Mutators.Where(mutation.Symbol, source.LineOf(mutation.Edit.Start))}");
            }
        }
    }

    /// <summary>2 when the evidence calls the function, 1 when it names its file's module, else 0.</summary>
    private static int Suspicion(Symbol symbol, string evidence)
    {
        if (Regex.IsMatch(evidence, $@"(?<![\w]){Regex.Escape(symbol.Name)}\s*\(", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)))
        {
            return 2;
        }

        var module = Path.GetFileNameWithoutExtension(symbol.Path);
        return module.Length > 2 && Regex.IsMatch(evidence, $@"(?<![\w]){Regex.Escape(module)}(?![\w])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)) ? 1 : 0;
    }

    private void Progress(string line) => OnProgress?.Invoke(line);

    private sealed record Candidate(string Path, SourceText Source, Edit Edit, string Kind, string Description, int Score);

    private sealed class Stats
    {
        public int Runs { get; set; }

        public int Tried { get; set; }

        public int Candidates { get; set; }

        public int EarlyStops { get; set; }

        public int Confirmations { get; set; }
    }
}
