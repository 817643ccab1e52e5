using System.Globalization;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Injection;

public sealed partial class Injector
{
    /// <summary>One candidate: apply, run, find F, weaken, validate. Returns the rejection reason, or the valid artifact.</summary>
    private async Task<(string Outcome, BugArtifact? Artifact)> TryAsync(Run run, StrategyState state, BugCandidate candidate, CancellationToken cancellationToken)
    {
        var environment = run.Context.Environment;
        if (!await DiffApplier.CanApplyAsync(environment.TreePath, candidate.BugInjectDiff, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return (InjectionRejections.AppliesNot, null);
        }

        TestRun buggy;
        await using (var workspace = await run.Runner.CreateWorkspaceAsync(cancellationToken).ConfigureAwait(false))
        {
            await DiffApplier.ApplyAsync(workspace.TreePath, candidate.BugInjectDiff, cancellationToken: cancellationToken).ConfigureAwait(false);
            buggy = await run.Runner.RunAsync(workspace, cancellationToken).ConfigureAwait(false);
            state.SuiteRuns++;
        }

        if (buggy.TimedOut)
        {
            return (InjectionRejections.TimesOut, null);
        }

        run.ScriptSeconds = Math.Max(run.ScriptSeconds, buggy.Duration.TotalSeconds);
        var failing = run.Passing.Where(id => !buggy.Tests.Any(t => t.Id == id && t.Status == TestStatus.Passed)).ToList();
        if (failing.Count == 0)
        {
            return (InjectionRejections.NoFailingTest, null);
        }

        if (!buggy.SuiteRan || failing.Count == run.Passing.Count)
        {
            return (InjectionRejections.BreaksEverything, null);
        }

        // Tests that failed outright first: a crash can take later tests down with it (Go's panics), and those
        // need not be deleted. When hiding only the outright failures is not enough, all of F goes.
        var outright = failing.Where(id => buggy.Tests.Any(t => t.Id == id && (t.Status == TestStatus.Failed || t.Status == TestStatus.Error))).ToList();
        List<List<string>> attempts = outright.Count > 0 && outright.Count < failing.Count ? [outright, failing] : [failing];
        var changed = await DiffApplier.ChangedPathsAsync(candidate.BugInjectDiff, cancellationToken).ConfigureAwait(false);
        var enough = changed.Count >= _options.MinChangedFiles;
        var id = enough
            ? string.Create(CultureInfo.InvariantCulture, $"{state.Strategy.Name}-{state.Valid + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"{state.Strategy.Name}-part-{state.Parts + 1}");
        var outcome = InjectionRejections.WeakenFailed;
        for (var i = 0; i < attempts.Count; i++)
        {
            if (run.Passing.Count >= 2 && attempts[i].Count * 2 >= run.Passing.Count)
            {
                // Hiding the bug would take half the suite with it (one Go test running a whole gocheck suite, say).
                outcome = InjectionRejections.WeakenTooBroad;
                continue;
            }

            var weakening = await _weakener.WeakenAsync(environment.TreePath, run.Template.TestFiles, attempts[i], cancellationToken).ConfigureAwait(false);
            if (!weakening.Complete)
            {
                Progress($"{state.Strategy.Name}: cannot delete {string.Join(", ", weakening.Unresolved.Take(3))}");
                continue;
            }

            var artifact = run.Template with
            {
                BugInjectDiff = candidate.BugInjectDiff,
                TestWeakenDiff = weakening.Diff,
                Metadata = run.Template.Metadata with { Id = id, Strategy = state.Strategy.Name, Order = 1 },
            };

            // A bug changing too few files is validated against a minimum of one: valid so, it is still a part
            // the combiner can merge, though it is not written and counts as rejected by min-changed-files.
            var validation = _options.Validation with { MinChangedFiles = enough ? _options.MinChangedFiles : 1, ScriptTimeout = run.ScriptTimeout };
            var report = await new ArtifactValidator(_sandboxes, validation, _time).ValidateAsync(environment, artifact, buggy, [.. _components], cancellationToken).ConfigureAwait(false);
            state.SuiteRuns += report.TestRuns;
            artifact = artifact with { Metadata = artifact.Metadata with { Validation = report with { DurationMs = null } } };
            if (report.Valid && enough && TrivialCheck is not null && await IsTrivialAsync(run, artifact, cancellationToken).ConfigureAwait(false))
            {
                return (InjectionRejections.Trivial, null);
            }

            if (report.Valid && enough)
            {
                _components.Add(artifact);
                return ("valid", artifact);
            }

            if (report.Valid)
            {
                state.Parts++;
                _components.Add(artifact);
                return (ValidationChecks.MinChangedFiles, null);
            }

            outcome = report.FailedCheck ?? "invalid";
            if (report.FailedCheck != ValidationChecks.BugIsHidden)
            {
                break;
            }
        }

        return (outcome, null);
    }

    private async Task<bool> IsTrivialAsync(Run run, BugArtifact artifact, CancellationToken cancellationToken)
    {
        var verdict = await TrivialCheck!.CheckAsync(run.Context, artifact, cancellationToken).ConfigureAwait(false);
        Progress(verdict.Detail);
        return verdict.Trivial;
    }

    /// <summary>What one run shares across candidates.</summary>
    private sealed class Run(InjectionContext context, BugArtifact template, ArtifactTestRunner runner, IReadOnlyList<string> passing)
    {
        public InjectionContext Context { get; } = context;

        public BugArtifact Template { get; } = template;

        public ArtifactTestRunner Runner { get; } = runner;

        /// <summary>The limit of one candidate's test run: ten baselines, at least 30 s, at most the configured timeout.</summary>
        public TimeSpan ScriptTimeout { get; init; }

        public IReadOnlyList<string> Passing { get; } = passing;

        public List<string> Written { get; } = [];

        public double ScriptSeconds { get; set; }
    }

    /// <summary>One strategy's enumeration and its tallies.</summary>
    private sealed class StrategyState(IBugStrategy strategy, Random random)
    {
        public IBugStrategy Strategy { get; } = strategy;

        public Random Random { get; } = random;

        public IAsyncEnumerator<BugCandidate>? Enumerator { get; set; }

        public int PoolAtStart { get; set; } = -1;

        public bool Spent { get; set; }

        public int Tried { get; set; }

        public int Valid { get; set; }

        public int Parts { get; set; }

        /// <summary>Test-suite runs made for the strategy's candidates: their own runs and the validator's.</summary>
        public int SuiteRuns { get; set; }

        public TimeSpan Elapsed { get; set; }

        public SortedDictionary<string, int> Rejected { get; } = new(StringComparer.Ordinal);

        /// <summary>Why the strategy gave up before its candidates ran out, or null.</summary>
        public string? Stopped { get; set; }

        public StrategyYield Yield() => new()
        {
            Strategy = Strategy.Name,
            Tried = Tried,
            Valid = Valid,
            Rejected = Rejected,
            Stopped = Stopped,
            Seconds = Math.Round(Elapsed.TotalSeconds, 1),
            SecondsPerValid = Valid == 0 ? null : Math.Round(Elapsed.TotalSeconds / Valid, 1),
            SuiteRuns = SuiteRuns,
            SuiteRunsPerValid = Valid == 0 ? null : Math.Round((double)SuiteRuns / Valid, 2),
        };
    }
}
