namespace Sparring.Store;

/// <summary>
/// A queue of units of work shared by the workers of one run: each unit is enqueued once, leased to one worker at a
/// time for a limited time, and marked done exactly once, by the worker that holds it.
/// </summary>
/// <remarks>
/// <para>
/// The protocol: a worker calls <see cref="TryLeaseAsync"/> to take a unit that is pending or whose lease expired,
/// renews the lease with <see cref="RenewAsync"/> well before it expires while the work lasts, and ends with
/// <see cref="CompleteAsync(string, string, Func{CancellationToken, Task}, CancellationToken)"/>, which commits the
/// unit's results and marks it done in one transaction, only if the worker still holds the unit. A worker that
/// dies, hangs or loses its connection stops renewing; once its lease expires another worker takes the unit over
/// and does it again, and the first worker's completion then returns false and commits nothing. So each unit's
/// results are committed exactly once, and no unit is lost while some worker keeps running.
/// </para>
/// <para>
/// A lease is held by a worker id: ids must be unique among the run's live workers (host, process and a counter,
/// say). A worker whose lease expired still holds the unit until another worker takes it, so a late completion
/// that nobody overtook succeeds.
/// </para>
/// <para>Thread-safe: any number of workers, in any number of processes, may call these methods at once.</para>
/// </remarks>
public interface IWorkLeases
{
    /// <summary>Adds a pending unit; a key already enqueued (pending, leased or done) keeps its kind and payload.</summary>
    /// <returns>True when the unit is new, false when the key was enqueued before.</returns>
    Task<bool> EnqueueAsync(string unitKey, string kind, string payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases one unit to <paramref name="workerId"/> for <paramref name="leaseDuration"/>: the oldest one that is
    /// pending or whose lease has expired, never one another worker holds unexpired.
    /// </summary>
    /// <returns>The lease, or null when no unit can be taken now (all are done or leased; try again later).</returns>
    Task<WorkLease?> TryLeaseAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of <paramref name="workerId"/> on a unit to <paramref name="leaseDuration"/> from now.</summary>
    /// <returns>False when the worker no longer holds the unit (another worker took it over, or it is done).</returns>
    Task<bool> RenewAsync(string unitKey, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks a unit done when <paramref name="workerId"/> holds it and it is not done yet.</summary>
    /// <returns>True exactly once per unit; false when another worker took the unit over or it is already done.</returns>
    Task<bool> CompleteAsync(string unitKey, string workerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits a unit's results and marks it done, in one transaction, when <paramref name="workerId"/> holds the
    /// unit and it is not done yet: <paramref name="commit"/> makes the unit's writes to this store (attempts,
    /// rewards, stages, ...), which are then part of that transaction instead of committing one by one.
    /// </summary>
    /// <returns>
    /// True when the results were committed and the unit marked done; false, without calling
    /// <paramref name="commit"/>, when the worker no longer holds the unit or it is already done.
    /// </returns>
    /// <remarks>
    /// When <paramref name="commit"/> throws, nothing it wrote is kept, the unit stays leased to the worker, and the
    /// exception propagates. The writes inside <paramref name="commit"/> must be made one after another (awaited in
    /// turn), not concurrently.
    /// </remarks>
    Task<bool> CompleteAsync(string unitKey, string workerId, Func<CancellationToken, Task> commit, CancellationToken cancellationToken = default);

    /// <summary>How many units are not done yet: pending, leased, or leased and expired.</summary>
    Task<int> PendingCountAsync(CancellationToken cancellationToken = default);
}
