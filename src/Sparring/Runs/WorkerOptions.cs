namespace Sparring.Runs;

/// <summary>How one worker takes part in a run shared through <see cref="Store.IWorkLeases"/> (see <see cref="SelfPlayRunner.WorkAsync"/>).</summary>
public sealed record WorkerOptions
{
    /// <summary>The worker's id, unique among the run's live workers (host and process, say); each slot adds <c>.N</c>.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Units this worker does at once, each leased on its own.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>
    /// How long a lease lasts without renewal: a killed worker's unit goes to another after this long. The holder renews
    /// it every third of it while the unit runs.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an idle worker waits before it looks for work again (the others are busy with what is left).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A unit leased this many times without being done stops the worker with an error: it fails every time, and
    /// retrying it more would only hide why.
    /// </summary>
    public int MaxLeases { get; init; } = 5;

    public WorkerOptions Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId);
        if (Parallel < 1 || MaxLeases < 1)
        {
            throw new ArgumentException("a worker's parallel units and max leases must be at least 1");
        }

        if (Lease < TimeSpan.FromSeconds(1) || Poll <= TimeSpan.Zero)
        {
            throw new ArgumentException("a lease must last at least 1 s and the poll interval must be positive");
        }

        return this;
    }
}
