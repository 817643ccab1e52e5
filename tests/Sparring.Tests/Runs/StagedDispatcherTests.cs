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

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.RunAsync(
            Enumerable.Range(1, 50).ToList(),
            (i, _) => Task.FromResult(i),
            async (i, ct) =>
            {
                await Task.Delay(10, ct);
                return i == 3 ? throw new InvalidOperationException("episode 3 broke") : i;
            },
            (_, _) =>
            {
                Interlocked.Increment(ref graded);
                return Task.CompletedTask;
            }));

        // Assert
        Assert.Equal("episode 3 broke", error.Message);
        Assert.InRange(graded, 0, 10);
    }

    [Fact]
    public void Constructor_ZeroWorkers_Throws()
    {
        // Act, Assert
        Assert.Throws<ArgumentException>(() => new StagedDispatcher(new StageOptions { Grade = 0 }));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
