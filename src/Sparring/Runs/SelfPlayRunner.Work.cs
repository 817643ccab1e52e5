using System.Globalization;
using Sparring.Solving;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.Runs;

public sealed partial class SelfPlayRunner
{
    /// <summary>Unit kinds of a shared run.</summary>
    internal const string InjectUnit = "inject", SolveUnit = "solve", RewardUnit = "reward";

    private Task<InjectionContext>? _sharedContext;

    /// <summary>
    /// Takes part in a run shared by any number of workers, in this process or others, through the store's work
    /// leases: the same units as <see cref="RunAsync"/> (a round's injection, one attempt, one bug's reward), each
    /// leased, done, and committed with its results in one transaction by exactly one worker. Returns when the whole
    /// run is done, by whichever workers, with its summary (written to the run directory as by <see cref="RunAsync"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Which units exist follows from what is committed: round 1's injection; a committed round's attempts; a bug's
    /// reward once its attempts are all graded; the next round's injection once every bug of the round is rewarded.
    /// An idle worker enqueues what is missing (enqueueing is idempotent), so no worker coordinates the others and
    /// any of them may die at any moment. Units are seeded as in <see cref="RunAsync"/>, so the run's records equal
    /// those of an uninterrupted <see cref="RunAsync"/> with the same options.
    /// </para>
    /// <para>
    /// A unit writes its files to a folder of its own lease (<c>bugs</c>, <c>bugs.2</c> when leased the second time,
    /// …), so a worker that lost its lease but still runs never writes over the files of the one that took over. A
    /// unit that fails (an engine lost, a sandbox error) is let go at once for any worker to retry; one leased
    /// <see cref="WorkerOptions.MaxLeases"/> times stops the worker with a <see cref="UnitFailedException"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="SuiteDidNotRunException">The baseline does not meet <see cref="SelfPlayOptions.Baseline"/>; nothing was recorded.</exception>
    public async Task<RunSummary> WorkAsync(PreparedEnvironment environment, GitRepository repository, IRunStore store, IWorkLeases leases, WorkerOptions worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(worker);
        worker.Validate();
        await BaselineGuard.RequireAsync(_sandboxes, environment, _options.Baseline, new ValidationOptions().ScriptTimeout, cancellationToken).ConfigureAwait(false);
        await RecordMetaAsync(environment, store, cancellationToken).ConfigureAwait(false);
        _summary = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slots = Enumerable.Range(1, worker.Parallel).Select(async slot =>
        {
            try
            {
                await WorkSlotAsync(environment, repository, store, leases, worker, string.Create(CultureInfo.InvariantCulture, $"{worker.WorkerId}.{slot}"), stop.Token).ConfigureAwait(false);
            }
            catch
            {
                // One slot's fatal error stops the others: the worker reports it instead of working on without it.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();
        // A slot that failed cancelled the others: the awaited task is faulted with its error (cancelled slots add none).
        await Task.WhenAll(slots).ConfigureAwait(false);

        var final = _summary = await SummarizeAsync(environment, store, cancellationToken).ConfigureAwait(false);
        await WriteSummaryAsync(final, store.Directory, cancellationToken).ConfigureAwait(false);
        return final;
    }

    /// <summary>One slot of a worker: lease a unit, do it, commit it; when nothing is left to lease, enqueue what is missing; until the run is done.</summary>
    private async Task WorkSlotAsync(PreparedEnvironment environment, GitRepository repository, IRunStore store, IWorkLeases leases, WorkerOptions worker, string slotId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lease = await leases.TryLeaseAsync(slotId, worker.Lease, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                if (await PlanAsync(store, leases, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                lease = await leases.TryLeaseAsync(slotId, worker.Lease, cancellationToken).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(worker.Poll, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            Progress(string.Create(CultureInfo.InvariantCulture, $"worker {slotId}: leased {lease.UnitKey}{(lease.Leases > 1 ? $" (lease {lease.Leases}: taken over)" : "")}"));
            try
            {
                var committed = await DoUnitWhileLeasedAsync(environment, repository, store, leases, worker, lease, cancellationToken).ConfigureAwait(false);
                Progress($"worker {slotId}: {lease.UnitKey} {(committed ? "done" : "lost to another worker; its result is dropped")}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (Ctrl-C, or another slot failed): the unit goes to another worker now, not after its lease.
                await ReleaseAsync(leases, lease).ConfigureAwait(false);
                throw;
            }
            catch (Exception ex)
            {
                if (lease.Leases >= worker.MaxLeases)
                {
                    throw new UnitFailedException(string.Create(CultureInfo.InvariantCulture, $"unit {lease.UnitKey} failed {lease.Leases} times; the last time: {ex.Message}"), ex) { UnitKey = lease.UnitKey };
                }

                Progress(string.Create(CultureInfo.InvariantCulture, $"worker {slotId}: {lease.UnitKey} failed (lease {lease.Leases} of at most {worker.MaxLeases}), let go for a retry: {ex.Message}"));
                await ReleaseAsync(leases, lease).ConfigureAwait(false);
                await Task.Delay(worker.Poll, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Lets a failed unit go at once (a lease renewed to end now) instead of making the run wait for it to expire.</summary>
    private static async Task ReleaseAsync(IWorkLeases leases, WorkLease lease)
    {
        try
        {
            await leases.RenewAsync(lease.UnitKey, lease.WorkerId, TimeSpan.FromMilliseconds(1), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is out of reach too: the lease expires on its own.
        }
    }

    /// <summary>Does a leased unit while renewing its lease; the work is cancelled if another worker takes the unit over.</summary>
    /// <returns>True when this worker committed the unit; false when another worker took it over first.</returns>
    private async Task<bool> DoUnitWhileLeasedAsync(PreparedEnvironment environment, GitRepository repository, IRunStore store, IWorkLeases leases, WorkerOptions worker, WorkLease lease, CancellationToken cancellationToken)
    {
        using var unit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lost = false;
        var renewals = Task.Run(
            async () =>
            {
                while (!renewing.IsCancellationRequested)
                {
                    await Task.Delay(worker.Lease / 3, _time, renewing.Token).ConfigureAwait(false);
                    try
                    {
                        if (!await leases.RenewAsync(lease.UnitKey, lease.WorkerId, worker.Lease, renewing.Token).ConfigureAwait(false))
                        {
                            lost = true;
                            await unit.CancelAsync().ConfigureAwait(false);
                            return;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Progress($"worker {lease.WorkerId}: could not renew the lease of {lease.UnitKey} ({ex.Message}); trying again");
                    }
                }
            },
            CancellationToken.None);
        try
        {
            return await DoUnitAsync(environment, repository, store, leases, lease, unit.Token).ConfigureAwait(false);
        }
        catch (Exception) when (lost && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled because another worker took the unit over; a cancelled command may surface as any error.
            return false;
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            try
            {
                await renewals.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Renewals end by cancellation.
            }
        }
    }

    private async Task<bool> DoUnitAsync(PreparedEnvironment environment, GitRepository repository, IRunStore store, IWorkLeases leases, WorkLease lease, CancellationToken cancellationToken)
    {
        switch (lease.Kind)
        {
            case InjectUnit:
            {
                var round = int.Parse(lease.Payload, CultureInfo.InvariantCulture);
                Volatile.Write(ref _round, Math.Max(Volatile.Read(ref _round), round));
                var context = await SharedContextAsync(environment, repository, cancellationToken).ConfigureAwait(false);
                var injected = await InjectAsync(environment, repository, context, store, round, RoundPath(round) + "/" + LeaseFolder("bugs", lease), cancellationToken).ConfigureAwait(false);
                return await leases.CompleteAsync(lease.UnitKey, lease.WorkerId, ct => CommitInjectionAsync(store, injected, ct), cancellationToken).ConfigureAwait(false);
            }

            case SolveUnit:
            {
                var (bugId, attempt) = ParseSolvePayload(lease.Payload);
                var bug = (await store.ArtifactsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Id == bugId)
                    ?? throw new InvalidDataException($"unit {lease.UnitKey} names the bug '{bugId}', which the run does not hold");
                var pending = new PendingAttempt(bug, attempt);
                var folder = LeaseFolder(AttemptPath(bug.Round, pending), lease);
                var artifact = await LoadBugAsync(store, bug, cancellationToken).ConfigureAwait(false);
                var record = _options.Solver == "llm"
                    ? await AgentAttemptAsync(new SolverAgent(_sandboxes, _model!, _options.Agents, _time), environment, store, pending, artifact, folder, cancellationToken).ConfigureAwait(false)
                    : await SearchAsync(environment, store, pending, artifact, folder, cancellationToken).ConfigureAwait(false);
                return await leases.CompleteAsync(lease.UnitKey, lease.WorkerId, ct => CommitAttemptAsync(store, bug.Round, record, ct), cancellationToken).ConfigureAwait(false);
            }

            case RewardUnit:
            {
                var reward = await RewardAsync(store, lease.Payload, cancellationToken).ConfigureAwait(false);
                return await leases.CompleteAsync(lease.UnitKey, lease.WorkerId, ct => store.CommitRewardAsync(reward, ct), cancellationToken).ConfigureAwait(false);
            }

            default:
                throw new InvalidDataException($"unit {lease.UnitKey} is of an unknown kind '{lease.Kind}' (a newer Sparring's?)");
        }
    }

    /// <summary>
    /// Enqueues the units the committed state calls for (see <see cref="WorkAsync"/>): idempotent, so every idle worker
    /// may call it at once.
    /// </summary>
    /// <returns>True when the run is done: its last round injected and every bug rewarded.</returns>
    private async Task<bool> PlanAsync(IRunStore store, IWorkLeases leases, CancellationToken cancellationToken)
    {
        var rounds = (await store.RoundsAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.Round).ToHashSet();
        var artifacts = await store.ArtifactsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var attempts = (await store.AttemptsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Select(a => (a.ArtifactId, a.Attempt)).ToHashSet();
        var rewarded = (await store.RewardsAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.ArtifactId).ToHashSet(StringComparer.Ordinal);
        for (var round = 1; round <= _options.Rounds; round++)
        {
            if (!rounds.Contains(round))
            {
                await leases.EnqueueAsync(InjectKey(round), InjectUnit, round.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                return false;
            }

            var complete = true;
            foreach (var bug in artifacts.Where(a => a.Round == round))
            {
                var missing = Enumerable.Range(1, _options.Attempts).Where(n => !attempts.Contains((bug.Id, n))).ToList();
                foreach (var attempt in missing)
                {
                    await leases.EnqueueAsync(string.Create(CultureInfo.InvariantCulture, $"{SolveUnit}/{bug.Id}/{attempt}"), SolveUnit, string.Create(CultureInfo.InvariantCulture, $"{bug.Id}\n{attempt}"), cancellationToken).ConfigureAwait(false);
                }

                if (missing.Count == 0 && !rewarded.Contains(bug.Id))
                {
                    await leases.EnqueueAsync($"{RewardUnit}/{bug.Id}", RewardUnit, bug.Id, cancellationToken).ConfigureAwait(false);
                }

                complete &= missing.Count == 0 && rewarded.Contains(bug.Id);
            }

            if (!complete)
            {
                return false;
            }
        }

        return true;
    }

    private static string InjectKey(int round) => string.Create(CultureInfo.InvariantCulture, $"{InjectUnit}/{round}");

    private static (string BugId, int Attempt) ParseSolvePayload(string payload)
    {
        var parts = payload.Split('\n');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) && attempt >= 1
            ? (parts[0], attempt)
            : throw new InvalidDataException($"a solve unit's payload is not 'BUG\\nATTEMPT': '{payload}'");
    }

    /// <summary>The folder a unit writes under this lease: its own name the first time, <c>NAME.N</c> for the N-th lease.</summary>
    private static string LeaseFolder(string folder, WorkLease lease) =>
        lease.Leases <= 1 ? folder : string.Create(CultureInfo.InvariantCulture, $"{folder}.{lease.Leases}");

    /// <summary>The injection context, made once per runner however many slots ask for it at once (again if making it failed).</summary>
    private async Task<InjectionContext> SharedContextAsync(PreparedEnvironment environment, GitRepository repository, CancellationToken cancellationToken)
    {
        var making = Volatile.Read(ref _sharedContext);
        if (making is null || making.IsFaulted || making.IsCanceled)
        {
            // Not cancelled with the unit that asked first: the context outlives it.
            var fresh = Injector.CreateContextAsync(environment, repository, cancellationToken: CancellationToken.None);
            if (Interlocked.CompareExchange(ref _sharedContext, fresh, making) != making)
            {
                // Another slot started one first: this one's result is not needed (nor its failure).
                _ = fresh.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            }

            making = Volatile.Read(ref _sharedContext)!;
        }

        return await making.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
