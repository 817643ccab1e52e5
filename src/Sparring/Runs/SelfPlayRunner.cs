using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.Runs;

/// <summary>
/// The self-play loop: per round, inject bugs (and order-2 bugs from the last round's failed attempts), run
/// <see cref="SelfPlayOptions.Attempts"/> graded solver attempts per valid bug, and reward both roles (spec §1.5).
/// Every finished unit (a round's injection, one attempt, one bug's reward) is committed to the <see cref="IRunStore"/>
/// before the next starts, so a killed run resumes where it stopped and ends with the same totals.
/// </summary>
/// <remarks>Units are deterministic for the seed (injection seeds, search-solver seeds per attempt), which is what
/// makes a redone unit equal to the one lost. Rounds run one after the other; a round's attempts go through the
/// <see cref="StagedDispatcher"/> (prepare → solve → grade, each stage with its own workers).</remarks>
public sealed partial class SelfPlayRunner
{
    private readonly ISandboxProvider _sandboxes;
    private readonly SelfPlayOptions _options;
    private readonly IChatClient? _model;
    private readonly TimeProvider _time;

    public SelfPlayRunner(ISandboxProvider sandboxes, SelfPlayOptions options, IChatClient? model = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sandboxes = sandboxes;
        _options = options.Validate();
        if (model is null && (_options.Solver == "llm" || _options.Injector != "procedural"))
        {
            throw new ArgumentException("an LLM solver or injector needs a model client");
        }

        _model = model;
        _time = time ?? TimeProvider.System;
        Dispatcher = new StagedDispatcher(_options.Stages);
    }

    /// <summary>The attempt pipeline; its <see cref="StagedDispatcher.Snapshot"/> shows the queues while a round solves.</summary>
    public StagedDispatcher Dispatcher { get; }

    private volatile RunSummary? _summary;
    private int _round;
    private int _attemptsThisRound;
    private int _solvedThisRound;
    private int _tamperedThisRound;

    /// <summary>The run's state now (safe from any thread).</summary>
    public SelfPlayStatus Status => new(Volatile.Read(ref _round), _options.Rounds, _summary, Volatile.Read(ref _attemptsThisRound), Volatile.Read(ref _solvedThisRound), Volatile.Read(ref _tamperedThisRound), Dispatcher.Snapshot);

    /// <summary>One line per finished unit, for stderr or a live display.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <exception cref="SuiteDidNotRunException">The baseline does not meet <see cref="SelfPlayOptions.Baseline"/>; nothing was recorded.</exception>
    public async Task<RunSummary> RunAsync(PreparedEnvironment environment, GitRepository repository, IRunStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(store);
        InjectionContext? context = null;
        // Before anything is recorded: a suite with nothing to break or fix makes no round (cached once it passes).
        await BaselineGuard.RequireAsync(_sandboxes, environment, _options.Baseline, new ValidationOptions().ScriptTimeout, cancellationToken).ConfigureAwait(false);
        await RecordMetaAsync(environment, store, cancellationToken).ConfigureAwait(false);
        _summary = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);
        for (var round = 1; round <= _options.Rounds; round++)
        {
            Volatile.Write(ref _round, round);
            Volatile.Write(ref _attemptsThisRound, 0);
            Volatile.Write(ref _solvedThisRound, 0);
            Volatile.Write(ref _tamperedThisRound, 0);
            if (await store.GetRoundAsync(round, cancellationToken).ConfigureAwait(false) is null)
            {
                context ??= await Injector.CreateContextAsync(environment, repository, cancellationToken: cancellationToken).ConfigureAwait(false);
                await InjectRoundAsync(environment, repository, context, store, round, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Progress($"round {round}: injection already done (resumed)");
            }

            _summary = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);
            var bugs = await store.ArtifactsAsync(round, cancellationToken).ConfigureAwait(false);
            await SolveRoundAsync(environment, store, round, bugs, cancellationToken).ConfigureAwait(false);
            await RewardRoundAsync(store, bugs, cancellationToken).ConfigureAwait(false);
            var summary = _summary = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _attemptsThisRound, 0);
            Volatile.Write(ref _solvedThisRound, 0);
            Volatile.Write(ref _tamperedThisRound, 0);
            Progress(string.Create(CultureInfo.InvariantCulture, $"round {round} done; run so far: {summary.Valid} valid bugs, {summary.Solved}/{summary.Attempts} attempts solved{(summary.Tampered > 0 ? $" ({summary.Tampered} tampered)" : "")}, mean rewards solver {summary.MeanReward["solver"]:0.00} injector {summary.MeanReward["injector"]:0.00}"));
        }

        var final = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);
        await WriteSummaryAsync(final, store.Directory, cancellationToken).ConfigureAwait(false);
        return final;
    }

    /// <summary>What readers of the run need besides its units (first start only: a resumed run keeps its values).</summary>
    private async Task RecordMetaAsync(PreparedEnvironment environment, IRunStore store, CancellationToken cancellationToken)
    {
        await store.SetMetaOnceAsync(RunMetaKeys.Repository, environment.Snapshot.RepositoryRoot, cancellationToken).ConfigureAwait(false);
        await store.SetMetaOnceAsync(RunMetaKeys.Commit, environment.Snapshot.Commit, cancellationToken).ConfigureAwait(false);
        await store.SetMetaOnceAsync(RunMetaKeys.PolicyVersion, _options.PolicyVersion.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await store.SetMetaOnceAsync(RunMetaKeys.Solver, _options.Solver, cancellationToken).ConfigureAwait(false);
        await store.SetMetaOnceAsync(RunMetaKeys.Injector, _options.Injector, cancellationToken).ConfigureAwait(false);
        if (_options.Agents.Model is { } model && (_options.Solver == "llm" || _options.Injector != "procedural"))
        {
            await store.SetMetaOnceAsync(RunMetaKeys.Model, model, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The relative path of a round's folder.</summary>
    private static string RoundPath(int round) => string.Create(CultureInfo.InvariantCulture, $"rounds/{round}");

    private void Progress(string line) => OnProgress?.Invoke(line);

    private static async Task WriteSummaryAsync(RunSummary summary, string directory, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, RunsJsonContext.Default.RunSummary), cancellationToken).ConfigureAwait(false);
        await RunReport.WriteAsync(summary, directory, cancellationToken).ConfigureAwait(false);
    }

    private double Seconds(long started) => Math.Round(_time.GetElapsedTime(started).TotalSeconds, 2);

}
