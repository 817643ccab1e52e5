using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>
/// The procedural injection pipeline: takes candidates from the strategies in turn (round robin), applies
/// each to a workspace, runs the tests, finds the baseline-passing tests it breaks, deletes those tests
/// (<see cref="TestWeakener"/>), assembles the artifact and runs the full <see cref="ArtifactValidator"/>.
/// Only valid artifacts are written, each to <c>OutputDirectory/&lt;strategy&gt;-&lt;n&gt;</c>.
/// </summary>
/// <remarks>
/// Deterministic for a seed: strategy <c>i</c> gets <c>new Random(Seed ^ hash(name))</c>, candidates are tried
/// one at a time, and the written artifacts carry no wall-clock values (no <c>createdAt</c>, no validation
/// duration): the same seed on the same commit writes byte-identical folders. Timings go to
/// <c>OutputDirectory/inject-report.json</c> instead. Not thread-safe: one run at a time per instance.
/// </remarks>
public sealed partial class Injector
{
    private readonly ISandboxProvider _sandboxes;
    private readonly InjectorOptions _options;
    private readonly TimeProvider _time;
    private readonly TestWeakener _weakener;
    private readonly List<BugArtifact> _components = [];

    public Injector(ISandboxProvider sandboxes, InjectorOptions options, TimeProvider? time = null, TestWeakener? weakener = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sandboxes = sandboxes;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
        _weakener = weakener ?? new TestWeakener();
    }

    /// <summary>Progress lines (one per candidate and outcome), for stderr.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>When set, every valid bug is put to it and a trivial one is rejected (<c>trivial</c>) instead of written.</summary>
    public ITrivialBugCheck? TrivialCheck { get; init; }

    /// <summary>
    /// Bugs shown valid in this run, including those rejected only for changing too few files: what
    /// <see cref="CombineStrategy"/> merges (pass <c>() =&gt; injector.Components</c>).
    /// </summary>
    public IReadOnlyList<BugArtifact> Components => _components;

    public async Task<InjectionReport> RunAsync(InjectionContext context, IReadOnlyList<IBugStrategy> strategies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(strategies);
        var started = _time.GetTimestamp();
        var template = await TemplateAsync(context, cancellationToken).ConfigureAwait(false);
        var runner = new ArtifactTestRunner(_sandboxes, context.Environment, template) { ScriptTimeout = _options.Validation.ScriptTimeout };
        var (baseline, reused) = await BaselineGuard.RequireAsync(runner, _options.Baseline, cancellationToken: cancellationToken).ConfigureAwait(false);
        var passing = baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).ToList();
        // A bug that makes the suite hang should cost a few baselines, not the full script timeout.
        var timeout = TimeSpan.FromSeconds(Math.Clamp(10 * baseline.Duration.TotalSeconds, 30, _options.Validation.ScriptTimeout.TotalSeconds));
        var candidates = new ArtifactTestRunner(_sandboxes, context.Environment, template) { ScriptTimeout = timeout };
        var run = new Run(context, template, candidates, passing) { ScriptSeconds = reused ? 0 : baseline.Duration.TotalSeconds, ScriptTimeout = timeout };
        var states = strategies.Select(s => new StrategyState(s, new Random(_options.Seed ^ StableHash.Of(s.Name)))).ToList();
        var problem = !reused && baseline.Duration > _options.ScriptTimeBudget ? $"the test script took {baseline.Duration.TotalSeconds:0.0} s on the original; the SSR budget is {_options.ScriptTimeBudget.TotalSeconds:0} s"
            : null;
        Progress($"baseline: {passing.Count} of {baseline.Tests.Count} tests pass{(reused ? " (reused)" : $" ({baseline.Duration.TotalSeconds:0.0} s)")}");
        if (problem is null)
        {
            await LoopAsync(run, states, cancellationToken).ConfigureAwait(false);
        }

        foreach (var state in states)
        {
            if (state.Enumerator is not null)
            {
                await state.Enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }

        var report = new InjectionReport
        {
            Strategies = states.Select(s => s.Yield()).ToList(),
            Artifacts = run.Written,
            ScriptSeconds = Math.Round(run.ScriptSeconds, 1),
            BaselinePassing = passing.Count,
            Problem = problem,
            DurationSeconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 1),
            CreatedAt = _time.GetUtcNow(),
        };
        Directory.CreateDirectory(_options.OutputDirectory);
        await File.WriteAllTextAsync(
            Path.Combine(_options.OutputDirectory, InjectionReport.FileName),
            JsonSerializer.Serialize(report, InjectionJsonContext.Default.InjectionReport),
            cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>Round robin over the strategies until enough artifacts are valid or every strategy is spent.</summary>
    private async Task LoopAsync(Run run, List<StrategyState> states, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var progressed = true;
        while (progressed && run.Written.Count < _options.Count)
        {
            progressed = false;
            foreach (var state in states)
            {
                if (run.Written.Count >= _options.Count || state.Spent || state.Tried >= _options.MaxCandidatesPerStrategy)
                {
                    continue;
                }

                var candidate = await NextAsync(run, state, seen, cancellationToken).ConfigureAwait(false);
                if (candidate is null)
                {
                    continue;
                }

                progressed = true;
                state.Tried++;
                var begun = _time.GetTimestamp();
                var (outcome, artifact) = await TryAsync(run, state, candidate, cancellationToken).ConfigureAwait(false);
                state.Elapsed += _time.GetElapsedTime(begun);
                if (artifact is null)
                {
                    state.Rejected[outcome] = state.Rejected.GetValueOrDefault(outcome) + 1;
                    Progress($"{state.Strategy.Name} #{state.Tried}: {candidate.Description}: rejected ({outcome})");
                    continue;
                }

                state.Valid++;
                var directory = Path.Combine(_options.OutputDirectory, artifact.Metadata.Id);
                await BugArtifactFiles.SaveAsync(artifact, directory, cancellationToken).ConfigureAwait(false);
                run.Written.Add(artifact.Metadata.Id);
                Progress($"{state.Strategy.Name} #{state.Tried}: {candidate.Description}: VALID, written to {directory}");
            }
        }
    }

    /// <summary>The strategy's next candidate not seen before; restarts the combiner when the pool has grown since it started.</summary>
    private async Task<BugCandidate?> NextAsync(Run run, StrategyState state, HashSet<string> seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (state.Enumerator is null)
            {
                if (state.Strategy is CombineStrategy && state.PoolAtStart == _components.Count)
                {
                    return null;
                }

                state.PoolAtStart = _components.Count;
                state.Enumerator = state.Strategy.CandidatesAsync(run.Context, state.Random, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }

            bool more;
            try
            {
                more = await state.Enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (GitException e)
            {
                // A history git cannot read (a partial or shallow clone missing objects) stops this strategy, not the run.
                state.Stopped = "git failed: " + e.Message.Split('\n')[0];
                Progress($"{state.Strategy.Name}: stopped, {state.Stopped}");
                more = false;
            }

            if (!more)
            {
                await state.Enumerator.DisposeAsync().ConfigureAwait(false);
                state.Enumerator = null;
                state.Spent = state.Strategy is not CombineStrategy;
                return null;
            }

            if (seen.Add(state.Enumerator.Current.BugInjectDiff))
            {
                return state.Enumerator.Current;
            }
        }
    }

    /// <summary>What every artifact of the run shares: the test files, the script (the detected plan's command) and the parser.</summary>
    private static async Task<BugArtifact> TemplateAsync(InjectionContext context, CancellationToken cancellationToken)
    {
        var commit = context.Environment.Snapshot.Commit;
        var tracked = await Git.RunAsync(context.Repository.Root, ["ls-tree", "-r", "-z", "--name-only", commit], cancellationToken).ConfigureAwait(false);
        // The same script and parser as BaselineGuard.PlanScript, so both share one cached baseline.
        return BaselineGuard.PlanScript(context.Environment) with
        {
            // A tracked link out of the repository is no test file grading could restore.
            TestFiles = tracked.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => TestPaths.LooksLikeTest(p) && RepoPaths.ProblemOf(context.Environment.Snapshot.TreePath, p) is null)
                .Order(StringComparer.Ordinal)
                .ToList(),
        };
    }

    private void Progress(string line) => OnProgress?.Invoke(line);

}
