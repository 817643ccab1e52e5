namespace Sparring.Sandboxes.Internal;

/// <summary>
/// The engines of one provider: hands out a slot on the answering engine with the most free slots, taking engines with
/// as many free slots in turn (so one process's work spreads over every engine, not only over the first).
/// </summary>
internal sealed class DockerEnginePool : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryDelay;
    private int _turn;

    public DockerEnginePool(IEnumerable<Uri> hosts, int slotsPerHost, TimeSpan requestTimeout, TimeSpan retryDelay, TimeProvider time)
    {
        Engines = [.. hosts.Distinct().Select(h => new DockerEngine(h, slotsPerHost, requestTimeout))];
        _retryDelay = retryDelay;
        _time = time;
    }

    public IReadOnlyList<DockerEngine> Engines { get; }

    /// <summary>
    /// Waits for a slot on an engine that is not down, leaving out <paramref name="tried"/> (engines that already failed
    /// this piece of work). Release it with <see cref="DockerEngine.ReleaseSlot"/>.
    /// </summary>
    /// <exception cref="SandboxException">Every engine is down or tried.</exception>
    public async Task<DockerEngine> AcquireAsync(IReadOnlyCollection<DockerEngine> tried, CancellationToken cancellationToken)
    {
        var candidates = Engines.Where(e => !tried.Contains(e) && !e.IsDown(_time)).ToList();
        if (candidates.Count == 0)
        {
            throw new SandboxException($"No Docker engine answers ({string.Join(", ", Engines.Select(e => e.Endpoint))}); each failed and is left out for {_retryDelay.TotalSeconds:0} s.");
        }

        // The freest engine now; when all are full, wait on whichever frees a slot first.
        var most = candidates.Max(e => e.FreeSlots);
        var tied = candidates.Where(e => e.FreeSlots == most).ToList();
        var freest = tied[(int)((uint)Interlocked.Increment(ref _turn) % (uint)tied.Count)];
        if (freest.FreeSlots > 0)
        {
            await freest.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            return freest;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = candidates.Select(e => (Engine: e, Wait: e.WaitForSlotAsync(stop.Token))).ToList();
        var first = await Task.WhenAny(waits.Select(w => w.Wait)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        DockerEngine? won = null;
        foreach (var (engine, wait) in waits)
        {
            try
            {
                await wait.ConfigureAwait(false);
                if (won is null && wait == first)
                {
                    won = engine;
                }
                else
                {
                    engine.ReleaseSlot();
                }
            }
            catch (OperationCanceledException)
            {
                // This engine's wait lost the race.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return won ?? throw new SandboxException("No Docker engine slot could be taken.");
    }

    public void MarkDown(DockerEngine engine) => engine.MarkDown(_time, _retryDelay);

    public void Dispose()
    {
        foreach (var engine in Engines)
        {
            engine.Dispose();
        }
    }
}
