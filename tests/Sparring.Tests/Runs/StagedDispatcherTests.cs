using Sparring.Runs;

namespace Sparring.Tests.Runs;

public sealed class StagedDispatcherTests
{
    [Fact]
    public async Task RunAsync_TwentyItems_GradesEachOnceWithStageLimitsAndOverlappingStages()
    {
        // Arrange
        var dispatcher = new StagedDispatcher(new StageOptions { Prepare = 1, Solve = 4, Grade = 2, QueueCapacity = 2 });
        var graded = new System.Collections.Concurrent.ConcurrentBag<int>();
        int solving = 0, grading = 0, maxSolving = 0, maxGrading = 0, overlapped = 0, maxQueued = 0;

        // Act
        await dispatcher.RunAsync(
            Enumerable.Range(1, 20).ToList(),
            async (i, ct) =>
            {
                await Task.Delay(5, ct);
                return i * 10;
            },
            async (i, ct) =>
            {
                var now = Interlocked.Increment(ref solving);
                InterlockedMax(ref maxSolving, now);
                InterlockedMax(ref maxQueued, dispatcher.Snapshot.QueuedForSolver);
                await Task.Delay(40, ct);
                Interlocked.Decrement(ref solving);
                return i + 1;
            },
            async (i, ct) =>
            {
                var now = Interlocked.Increment(ref grading);
                InterlockedMax(ref maxGrading, now);
                if (Volatile.Read(ref solving) > 0)
                {
                    Interlocked.Increment(ref overlapped);
                }

                await Task.Delay(30, ct);
                graded.Add(i);
                Interlocked.Decrement(ref grading);
            });

        // Assert
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (i * 10) + 1).Order(), graded.Order());
        Assert.InRange(maxSolving, 1, 4);
        Assert.InRange(maxGrading, 1, 2);
        Assert.InRange(maxQueued, 0, 2);
        Assert.True(overlapped > 0, "grading never ran while an episode was solving");
        Assert.Equal(new DispatcherSnapshot(0, 0, 0, 0, 0, 0, 20), dispatcher.Snapshot);
    }

    [Fact]
    public async Task RunAsync_StageThrows_CancelsTheOthersAndRethrows()
    {
        // Arrange
        var dispatcher = new StagedDispatcher(new StageOptions());
        var graded = 0;
        var solving = 0;

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.RunAsync(
            Enumerable.Range(1, 50).ToList(),
            (i, _) => Task.FromResult(i),
            async (i, ct) =>
            {
                await Task.Yield();
                if (Interlocked.Increment(ref solving) == 1)
                {
                    throw new InvalidOperationException("the first episode broke");
                }

                // Every other episode lasts until the batch is cancelled (30 s, and then graded, if it never is): the
                // outcome does not depend on which items a loaded machine starts first.
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return i;
            },
            (_, _) =>
            {
                Interlocked.Increment(ref graded);
                return Task.CompletedTask;
            }));

        // Assert: the failure cancelled the episodes in flight and kept the rest from starting, so none was graded.
        Assert.Equal("the first episode broke", error.Message);
        Assert.Equal(0, graded);
    }

    [Fact]
    public void Constructor_ZeroWorkers_Throws()
    {
        // Act, Assert
        Assert.Throws<ArgumentException>(() => new StagedDispatcher(new StageOptions { Grade = 0 }));
    }

    [Fact]
    public async Task RunAsync_TwoConcurrentCallers_ShareTheStageLimits()
    {
        // Arrange
        var dispatcher = new StagedDispatcher(new StageOptions { Prepare = 2, Solve = 1, Grade = 1, QueueCapacity = 1 });
        int solving = 0, grading = 0, maxSolving = 0, maxGrading = 0, graded = 0;
        Task Batch(int offset) => Task.Run(() => dispatcher.RunAsync(
            Enumerable.Range(offset, 6).ToList(),
            async (i, ct) =>
            {
                await Task.Delay(2, ct);
                return i;
            },
            async (i, ct) =>
            {
                InterlockedMax(ref maxSolving, Interlocked.Increment(ref solving));
                await Task.Delay(15, ct);
                Interlocked.Decrement(ref solving);
                return i;
            },
            async (_, ct) =>
            {
                InterlockedMax(ref maxGrading, Interlocked.Increment(ref grading));
                await Task.Delay(10, ct);
                Interlocked.Decrement(ref grading);
                Interlocked.Increment(ref graded);
            }));

        // Act: two batches and, beside them, work of the grade stage that is no item (a baseline run)
        var baselines = Task.Run(async () =>
        {
            for (var n = 0; n < 5; n++)
            {
                await dispatcher.RunInGradeStageAsync(async ct =>
                {
                    InterlockedMax(ref maxGrading, Interlocked.Increment(ref grading));
                    await Task.Delay(5, ct);
                    Interlocked.Decrement(ref grading);
                });
            }
        });
        await Task.WhenAll(Batch(0), Batch(100), baselines);

        // Assert
        Assert.Equal(1, maxSolving);
        Assert.Equal(1, maxGrading);
        Assert.Equal(12, graded);
        Assert.Equal(new DispatcherSnapshot(0, 0, 0, 0, 0, 0, 12), dispatcher.Snapshot);
    }

    [Fact]
    public async Task RunAsync_OneCallersItemFails_TheOtherCallersItemsAllFinish()
    {
        // Arrange
        var dispatcher = new StagedDispatcher(new StageOptions { Prepare = 1, Solve = 1, Grade = 1, QueueCapacity = 1 });
        var graded = new System.Collections.Concurrent.ConcurrentBag<string>();
        Task Batch(string name, int failing) => Task.Run(() => dispatcher.RunAsync(
            Enumerable.Range(1, 8).ToList(),
            (i, _) => Task.FromResult(i),
            async (i, ct) =>
            {
                await Task.Delay(5, ct);
                return i == failing ? throw new InvalidOperationException($"{name} {i} broke") : i;
            },
            (i, _) =>
            {
                graded.Add($"{name} {i}");
                return Task.CompletedTask;
            }));

        // Act
        var failed = Batch("a", failing: 2);
        var other = Batch("b", failing: 0);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        await other;

        // Assert
        Assert.Equal("a 2 broke", error.Message);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"b {i}").Order(StringComparer.Ordinal), graded.Where(g => g.StartsWith('b')).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("a 2", graded);
        Assert.InRange(graded.Count(g => g.StartsWith('a')), 0, 6);
        Assert.Equal(new DispatcherSnapshot(0, 0, 0, 0, 0, 0, graded.Count), dispatcher.Snapshot);
    }

    [Fact]
    public async Task RunItemAsync_CancelledWhileWaitingForTheSolver_FreesItsPlaceAndTheOthersGoOn()
    {
        // Arrange
        var dispatcher = new StagedDispatcher(new StageOptions { Prepare = 1, Solve = 1, Grade = 1, QueueCapacity = 1 });
        var release = new TaskCompletionSource();
        var solvingFirst = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        var solved = new System.Collections.Concurrent.ConcurrentBag<string>();
        Task<string> Item(string name, CancellationToken token) => dispatcher.RunItemAsync(
            _ => Task.FromResult(name),
            async (n, ct) =>
            {
                if (n == "first")
                {
                    solvingFirst.SetResult();
                    await release.Task.WaitAsync(ct);
                }

                solved.Add(n);
                return n;
            },
            (n, _) => Task.FromResult(n + " graded"),
            token);

        // Act: "second" waits for the one solver, then its caller gives up
        var first = Item("first", CancellationToken.None);
        await solvingFirst.Task;
        var second = Item("second", cancel.Token);
        while (dispatcher.Snapshot.QueuedForSolver < 1)
        {
            await Task.Delay(1);
        }

        var queued = dispatcher.Snapshot;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        var third = Item("third", CancellationToken.None);
        release.SetResult();

        // Assert
        Assert.Equal(new DispatcherSnapshot(0, 0, 1, 1, 0, 0, 0), queued);
        Assert.Equal("first graded", await first);
        Assert.Equal("third graded", await third);
        Assert.DoesNotContain("second", solved);
        Assert.Equal(new DispatcherSnapshot(0, 0, 0, 0, 0, 0, 2), dispatcher.Snapshot);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
