using System.Runtime.ExceptionServices;

namespace Sparring.Runs;

public sealed partial class StagedDispatcher
{
    /// <summary>Runs every item through the three stages; the first failure cancels the rest and is rethrown.</summary>
    /// <remarks>Items already graded stay graded.</remarks>
    public Task RunAsync<TItem, TPrepared, TSolved>(
        IReadOnlyCollection<TItem> items,
        Func<TItem, CancellationToken, Task<TPrepared>> prepare,
        Func<TPrepared, CancellationToken, Task<TSolved>> solve,
        Func<TSolved, CancellationToken, Task> grade,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(solve);
        ArgumentNullException.ThrowIfNull(grade);
        return RunAllAsync(
            items,
            (item, ct) => RunItemAsync(
                c => prepare(item, c),
                solve,
                async (solved, c) =>
                {
                    await grade(solved, c).ConfigureAwait(false);
                    return true;
                },
                ct),
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="run"/> for every item at once, as a batch: the first failure cancels the rest and is
    /// rethrown. Meant for items that go through a dispatcher's stages (<see cref="RunItemAsync"/>,
    /// <see cref="AttemptAsync"/>), whose workers then bound the work.
    /// </summary>
    /// <remarks>Only this batch is cancelled: other callers' items on the same dispatcher keep running.</remarks>
    public static async Task RunAllAsync<TItem>(IReadOnlyCollection<TItem> items, Func<TItem, CancellationToken, Task> run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(run);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;

        async Task Guard(TItem item)
        {
            try
            {
                await run(item, failure.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The cancellations this failure causes in the other items must not hide it.
                Interlocked.CompareExchange(ref first, ex, null);
                await failure.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        try
        {
            // On the pool: the synchronous start of a step (copying a tree) must not hold up starting the other items.
            await Task.WhenAll(items.Select(item => Task.Run(() => Guard(item), CancellationToken.None)).ToList()).ConfigureAwait(false);
        }
        catch when (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }
}
