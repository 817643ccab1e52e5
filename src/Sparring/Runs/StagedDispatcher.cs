using System.Diagnostics.CodeAnalysis;

namespace Sparring.Runs;

/// <summary>
/// Runs work items through three stages (prepare → solve → grade), each stage with its own number of workers, so
/// model calls of one attempt overlap the test runs of another (SkyRL-Agent's dispatcher). One dispatcher is meant
/// to be shared: self-play runs a round's attempts through it as a batch, the rollout service every request's.
/// </summary>
/// <remarks>
/// Thread-safe. The workers of a stage are shared by every caller, so concurrent callers together never exceed
/// <see cref="StageOptions"/>. A full queue between two stages makes the stage before it wait, holding its worker
/// (back-pressure), so at most <see cref="StageOptions.QueueCapacity"/> items wait for a stage. An item's failure or
/// cancellation ends that item only and frees its workers; <see cref="RunAllAsync{TItem}"/> is what cancels a whole
/// batch. <see cref="Snapshot"/> is safe to read from any thread while items run.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "A SemaphoreSlim holds nothing to free unless its AvailableWaitHandle is used, which these never are; the dispatcher lives as long as its owner.")]
public sealed partial class StagedDispatcher
{
    private const int Waiting = 0;
    private const int Preparing = 1;
    private const int QueuedForSolver = 2;
    private const int Solving = 3;
    private const int QueuedForGrading = 4;
    private const int Grading = 5;
    private const int Done = 6;

    private readonly int[] _counts = new int[7];
    private readonly SemaphoreSlim _prepare;
    private readonly SemaphoreSlim _solverQueue;
    private readonly SemaphoreSlim _solve;
    private readonly SemaphoreSlim _gradingQueue;
    private readonly SemaphoreSlim _grade;

    public StagedDispatcher(StageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _prepare = new SemaphoreSlim(options.Prepare);
        _solverQueue = new SemaphoreSlim(options.QueueCapacity);
        _solve = new SemaphoreSlim(options.Solve);
        _gradingQueue = new SemaphoreSlim(options.QueueCapacity);
        _grade = new SemaphoreSlim(options.Grade);
    }

    /// <summary>Items per stage right now, over every caller: waiting, preparing, queued for the solver, solving, queued for grading, grading, done.</summary>
    /// <remarks>A failed or cancelled item leaves the counts; work run by <see cref="RunInGradeStageAsync"/> is not an item.</remarks>
    public DispatcherSnapshot Snapshot => new(
        Volatile.Read(ref _counts[Waiting]), Volatile.Read(ref _counts[Preparing]), Volatile.Read(ref _counts[QueuedForSolver]), Volatile.Read(ref _counts[Solving]),
        Volatile.Read(ref _counts[QueuedForGrading]), Volatile.Read(ref _counts[Grading]), Volatile.Read(ref _counts[Done]));

    /// <summary>Runs one item through the three stages, each step once one of its stage's workers is free.</summary>
    /// <remarks>
    /// A prepared or solved value is handed to the next step only: when the item fails or is cancelled between two
    /// steps, freeing what that value holds is the caller's business.
    /// </remarks>
    public async Task<TResult> RunItemAsync<TPrepared, TSolved, TResult>(
        Func<CancellationToken, Task<TPrepared>> prepare,
        Func<TPrepared, CancellationToken, Task<TSolved>> solve,
        Func<TSolved, CancellationToken, Task<TResult>> grade,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(solve);
        ArgumentNullException.ThrowIfNull(grade);
        var at = Waiting;
        Interlocked.Increment(ref _counts[at]);
        try
        {
            TPrepared prepared;
            await _prepare.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Move(ref at, Preparing);
                prepared = await prepare(cancellationToken).ConfigureAwait(false);
                Move(ref at, QueuedForSolver);
                await _solverQueue.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _prepare.Release();
            }

            TSolved solved;
            try
            {
                await _solve.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _solverQueue.Release();
            }

            try
            {
                Move(ref at, Solving);
                solved = await solve(prepared, cancellationToken).ConfigureAwait(false);
                Move(ref at, QueuedForGrading);
                await _gradingQueue.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _solve.Release();
            }

            try
            {
                await _grade.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gradingQueue.Release();
            }

            try
            {
                Move(ref at, Grading);
                var result = await grade(solved, cancellationToken).ConfigureAwait(false);
                Move(ref at, Done);
                return result;
            }
            finally
            {
                _grade.Release();
            }
        }
        finally
        {
            if (at != Done)
            {
                Interlocked.Decrement(ref _counts[at]);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on one of the grade stage's workers, beside the items' grading (e.g. a baseline test run).</summary>
    public async Task RunInGradeStageAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _grade.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _grade.Release();
        }
    }

    private void Move(ref int at, int to)
    {
        Interlocked.Decrement(ref _counts[at]);
        Interlocked.Increment(ref _counts[to]);
        at = to;
    }
}
