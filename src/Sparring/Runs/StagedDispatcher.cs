using System.Threading.Channels;

namespace Sparring.Runs;

/// <summary>
/// Runs work items through three stages (prepare → solve → grade) joined by bounded queues, each stage with its own
/// number of workers, so model calls of one attempt overlap the test runs of another (SkyRL-Agent's dispatcher).
/// </summary>
/// <remarks>
/// A full queue makes the stage before it wait (back-pressure), so at most <c>capacity</c> items sit prepared.
/// The first failure cancels every stage and is rethrown; items already graded stay graded. <see cref="Snapshot"/>
/// is safe to read from any thread while it runs.
/// </remarks>
public sealed class StagedDispatcher
{
    private readonly StageOptions _options;
    private int _waiting;
    private int _preparing;
    private int _prepared;
    private int _solving;
    private int _solved;
    private int _grading;
    private int _done;

    public StagedDispatcher(StageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
    }

    /// <summary>Items per stage right now: waiting, preparing, queued for the solver, solving, queued for grading, grading, done.</summary>
    public DispatcherSnapshot Snapshot => new(
        Volatile.Read(ref _waiting), Volatile.Read(ref _preparing), Volatile.Read(ref _prepared), Volatile.Read(ref _solving),
        Volatile.Read(ref _solved), Volatile.Read(ref _grading), Volatile.Read(ref _done));

    public async Task RunAsync<TItem, TPrepared, TSolved>(
        IReadOnlyCollection<TItem> items,
        Func<TItem, CancellationToken, Task<TPrepared>> prepare,
        Func<TPrepared, CancellationToken, Task<TSolved>> solve,
        Func<TSolved, CancellationToken, Task> grade,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failure.Token;
        var toSolve = Channel.CreateBounded<TPrepared>(new BoundedChannelOptions(_options.QueueCapacity) { SingleWriter = false, SingleReader = false });
        var toGrade = Channel.CreateBounded<TSolved>(new BoundedChannelOptions(_options.QueueCapacity) { SingleWriter = false, SingleReader = false });
        var input = Channel.CreateUnbounded<TItem>();
        foreach (var item in items)
        {
            input.Writer.TryWrite(item);
        }

        input.Writer.Complete();
        Volatile.Write(ref _waiting, items.Count);

        async Task Guard(Func<Task> work)
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch
            {
                await failure.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var preparers = Workers(_options.Prepare, () => Guard(async () =>
        {
            await foreach (var item in input.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _waiting);
                Interlocked.Increment(ref _preparing);
                var prepared = await prepare(item, token).ConfigureAwait(false);
                Interlocked.Decrement(ref _preparing);
                Interlocked.Increment(ref _prepared);
                await toSolve.Writer.WriteAsync(prepared, token).ConfigureAwait(false);
            }
        }));
        var solvers = Workers(_options.Solve, () => Guard(async () =>
        {
            await foreach (var prepared in toSolve.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _prepared);
                Interlocked.Increment(ref _solving);
                var solved = await solve(prepared, token).ConfigureAwait(false);
                Interlocked.Decrement(ref _solving);
                Interlocked.Increment(ref _solved);
                await toGrade.Writer.WriteAsync(solved, token).ConfigureAwait(false);
            }
        }));
        var graders = Workers(_options.Grade, () => Guard(async () =>
        {
            await foreach (var solved in toGrade.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _solved);
                Interlocked.Increment(ref _grading);
                await grade(solved, token).ConfigureAwait(false);
                Interlocked.Decrement(ref _grading);
                Interlocked.Increment(ref _done);
            }
        }));

        var stages = new[]
        {
            Complete(preparers, toSolve.Writer),
            Complete(solvers, toGrade.Writer),
            Task.WhenAll(graders),
        };
        await Task.WhenAll(stages).ConfigureAwait(false);
    }

    private static Task[] Workers(int count, Func<Task> worker) => Enumerable.Range(0, count).Select(_ => Task.Run(worker)).ToArray();

    /// <summary>Closes the next queue once every worker of a stage has finished (or failed).</summary>
    private static async Task Complete<T>(Task[] workers, ChannelWriter<T> next)
    {
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            next.TryComplete();
        }
    }
}
