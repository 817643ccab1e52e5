using System.Collections.Concurrent;
using Sparring.Grading;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

/// <summary>
/// What every <see cref="IWorkLeases"/> must do: one holder per unit, takeover after expiry, completion with the
/// unit's results exactly once. Each store subclasses this class and supplies <see cref="OpenWorkerStoreAsync"/>.
/// </summary>
public abstract class WorkLeasesConformanceTests : IAsyncLifetime
{
    /// <summary>Held enough never to expire during a test.</summary>
    protected static readonly TimeSpan Held = TimeSpan.FromMinutes(5);

    private readonly List<IRunStore> _opened = [];

    /// <summary>The test's run directory.</summary>
    protected TempDirectory Run { get; } = new("sparring-run-");

    /// <summary>
    /// Opens the store one worker of the test's run uses (several workers of a shared store each open their own; a
    /// store of one process may hand every worker the same instance). The base class disposes what it returns.
    /// </summary>
    protected abstract Task<IRunStore> OpenWorkerStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened.Distinct())
        {
            await store.DisposeAsync();
        }

        Run.Dispose();
    }

    protected async Task<IRunStore> WorkerAsync()
    {
        var store = await OpenWorkerStoreAsync();
        _opened.Add(store);
        return store;
    }

    protected static IWorkLeases Leases(IRunStore store) => (IWorkLeases)store;

    /// <summary>The result a worker commits for a unit: attempt 1 of an artifact named after the unit.</summary>
    protected static AttemptRecord Result(string unitKey, string workerId) =>
        new(unitKey, 1, GradeOutcome.Solved, workerId, 1, 1, 1, 1, null, null);

    [Fact]
    public async Task EnqueueAsync_SameKeyTwice_KeepsTheFirstAndCountsOnce()
    {
        // Arrange
        var leases = Leases(await WorkerAsync());

        // Act
        var first = await leases.EnqueueAsync("solve:a:1", "solve", "first");
        var again = await leases.EnqueueAsync("solve:a:1", "inject", "second");
        var other = await leases.EnqueueAsync("solve:a:2", "solve", "");
        var pending = await leases.PendingCountAsync();
        var lease = await leases.TryLeaseAsync("w1", Held);
        var badDuration = await Record.ExceptionAsync(() => leases.TryLeaseAsync("w1", TimeSpan.Zero));

        // Assert
        Assert.True(first);
        Assert.False(again);
        Assert.True(other);
        Assert.Equal(2, pending);
        Assert.Equal(("solve:a:1", "solve", "first", "w1", 1), (lease!.UnitKey, lease.Kind, lease.Payload, lease.WorkerId, lease.Leases));
        Assert.InRange(lease.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.IsType<ArgumentOutOfRangeException>(badDuration);
    }

    [Fact]
    public async Task TryLeaseAsync_SeveralWorkers_NeverHoldTheSameUnit()
    {
        // Arrange
        var stores = new[] { await WorkerAsync(), await WorkerAsync(), await WorkerAsync() };
        for (var i = 0; i < 12; i++)
        {
            await Leases(stores[0]).EnqueueAsync($"u{i:D2}", "solve", "");
        }

        // Act: two units leased one after the other, then twelve workers at once over the other ten.
        var first = await Leases(stores[0]).TryLeaseAsync("w0", Held);
        var second = await Leases(stores[1]).TryLeaseAsync("w1", Held);
        var racing = await Task.WhenAll(Enumerable.Range(2, 12).Select(i => Task.Run(() => Leases(stores[i % 3]).TryLeaseAsync($"w{i}", Held))));
        var rest = new List<WorkLease>();
        while (await Leases(stores[2]).TryLeaseAsync("late", Held) is { } lease)
        {
            rest.Add(lease);
        }

        // Assert: the oldest units first; every unit leased once, whoever got it.
        Assert.Equal(("u00", "u01"), (first!.UnitKey, second!.UnitKey));
        var keys = new[] { first, second }.Concat(racing.OfType<WorkLease>()).Concat(rest).Select(l => l.UnitKey).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"u{i:D2}"), keys.Order(StringComparer.Ordinal));
        Assert.True(racing.Count(l => l is null) >= 2);
        Assert.All(keys, k => Assert.Single(keys, k));
        Assert.Equal(12, await Leases(stores[1]).PendingCountAsync());
    }

    [Fact]
    public async Task TryLeaseAsync_LeaseExpired_AnotherWorkerTakesOverAndTheFirstCanNeitherRenewNorComplete()
    {
        // Arrange
        var slow = await WorkerAsync();
        var other = await WorkerAsync();
        await Leases(slow).EnqueueAsync("u", "solve", "p");
        var first = await Leases(slow).TryLeaseAsync("slow", TimeSpan.FromSeconds(1));
        var whileHeld = await Leases(other).TryLeaseAsync("other", Held);

        // Act
        var takeover = await LeaseWithinAsync(Leases(other), "other", Held, TimeSpan.FromSeconds(20));
        var renewed = await Leases(slow).RenewAsync("u", "slow", Held);
        var committed = false;
        var slowCompleted = await Leases(slow).CompleteAsync("u", "slow", async ct =>
        {
            committed = true;
            await slow.CommitAttemptAsync(Result("u", "slow"), ct);
        });
        var otherCompleted = await Leases(other).CompleteAsync("u", "other", ct => other.CommitAttemptAsync(Result("u", "other"), ct));

        // Assert
        Assert.NotNull(first);
        Assert.Null(whileHeld);
        Assert.Equal(("u", "p", 2), (takeover.UnitKey, takeover.Payload, takeover.Leases));
        Assert.False(renewed);
        Assert.False(slowCompleted);
        Assert.False(committed);
        Assert.True(otherCompleted);
        Assert.Equal("other", Assert.Single(await slow.AttemptsAsync()).Exit);
        Assert.Equal(0, await Leases(slow).PendingCountAsync());
        Assert.Null(await Leases(slow).TryLeaseAsync("slow", Held));
    }

    [Fact]
    public async Task RenewAsync_BeforeExpiry_KeepsTheUnitFromOthersUntilTheNewExpiry()
    {
        // Arrange
        var holder = await WorkerAsync();
        var other = await WorkerAsync();
        await Leases(holder).EnqueueAsync("u", "solve", "");
        var lease = await Leases(holder).TryLeaseAsync("holder", TimeSpan.FromMilliseconds(800));

        // Act
        var renewed = await Leases(holder).RenewAsync("u", "holder", Held);
        var renewedByOther = await Leases(other).RenewAsync("u", "other", Held);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        var taken = await Leases(other).TryLeaseAsync("other", Held);
        var completedByOther = await Leases(other).CompleteAsync("u", "other");

        // Assert
        Assert.NotNull(lease);
        Assert.True(renewed);
        Assert.False(renewedByOther);
        Assert.Null(taken);
        Assert.False(completedByOther);
        Assert.True(await Leases(holder).CompleteAsync("u", "holder"));
        Assert.False(await Leases(holder).CompleteAsync("u", "holder"));
        Assert.False(await Leases(holder).RenewAsync("u", "holder", Held));
    }

    [Fact]
    public async Task CompleteAsync_CommitThrows_KeepsNoneOfItsWritesAndTheUnitStaysWithTheWorker()
    {
        // Arrange
        var store = await WorkerAsync();
        await Leases(store).EnqueueAsync("u", "solve", "");
        await Leases(store).TryLeaseAsync("w", Held);

        // Act
        var error = await Record.ExceptionAsync(() => Leases(store).CompleteAsync("u", "w", async ct =>
        {
            await store.CommitAttemptAsync(Result("u", "w"), ct);
            await store.RecordStageAsync("solve:u", "solve", 1, ct);
            throw new InvalidOperationException("grading broke");
        }));
        var attemptsAfterError = await store.AttemptsAsync();
        var stagesAfterError = await store.SecondsByStageAsync();
        var pendingAfterError = await Leases(store).PendingCountAsync();
        var retried = await Leases(store).CompleteAsync("u", "w", async ct =>
        {
            await store.CommitAttemptAsync(Result("u", "w"), ct);
            await store.RecordStageAsync("solve:u", "solve", 1, ct);
        });

        // Assert
        Assert.Equal("grading broke", Assert.IsType<InvalidOperationException>(error).Message);
        Assert.Empty(attemptsAfterError);
        Assert.Empty(stagesAfterError);
        Assert.Equal(1, pendingAfterError);
        Assert.True(retried);
        Assert.Single(await store.AttemptsAsync());
        Assert.Equal(1.0, (await store.SecondsByStageAsync())["solve"]);
        Assert.Equal(0, await Leases(store).PendingCountAsync());
    }

    [Fact]
    public async Task CompleteAsync_FourWorkersFiftyUnitsAndLeasesThatExpireMidWork_CommitsEachUnitExactlyOnce()
    {
        // Arrange: leases shorter than some units take, so units are taken over and late completions lose.
        const int Units = 50;
        var stores = new List<IRunStore>();
        for (var w = 0; w < 4; w++)
        {
            stores.Add(await WorkerAsync());
        }

        for (var i = 0; i < Units; i++)
        {
            await Leases(stores[0]).EnqueueAsync($"u{i:D2}", "solve", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var completed = new ConcurrentBag<(string Unit, string Worker)>();
        var lost = 0;
        var takenOver = 0;

        async Task WorkAsync(IRunStore store, int index)
        {
            var worker = $"w{index}";
            var random = new Random(index);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await Leases(store).PendingCountAsync() > 0 && DateTime.UtcNow < deadline)
            {
                if (await Leases(store).TryLeaseAsync(worker, TimeSpan.FromMilliseconds(150)) is not { } lease)
                {
                    await Task.Delay(10);
                    continue;
                }

                if (lease.Leases > 1)
                {
                    Interlocked.Increment(ref takenOver);
                }

                await Task.Delay(random.Next(0, 200));
                if (await Leases(store).CompleteAsync(lease.UnitKey, worker, ct => store.CommitAttemptAsync(Result(lease.UnitKey, worker), ct)))
                {
                    completed.Add((lease.UnitKey, worker));
                }
                else
                {
                    Interlocked.Increment(ref lost);
                }
            }
        }

        // Act
        await Task.WhenAll(stores.Select((s, i) => Task.Run(() => WorkAsync(s, i))));

        // Assert: every unit once, with the result of the worker whose completion succeeded.
        var attempts = await stores[3].AttemptsAsync();
        Assert.Equal(Units, completed.Count);
        Assert.Equal(Enumerable.Range(0, Units).Select(i => $"u{i:D2}"), completed.Select(c => c.Unit).Order(StringComparer.Ordinal));
        Assert.Equal(completed.OrderBy(c => c.Unit, StringComparer.Ordinal).Select(c => (c.Unit, c.Worker)), attempts.Select(a => (a.ArtifactId, a.Exit)));
        Assert.Equal(0, await Leases(stores[1]).PendingCountAsync());
        Assert.True(takenOver > 0, "no lease expired mid-work: the test did not exercise takeovers");
        Assert.True(lost <= takenOver, $"{lost} completions lost but only {takenOver} takeovers");
    }

    /// <summary>Leases a unit, retrying until <paramref name="within"/> passes (for a lease expiring meanwhile).</summary>
    protected static async Task<WorkLease> LeaseWithinAsync(IWorkLeases leases, string workerId, TimeSpan duration, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await leases.TryLeaseAsync(workerId, duration) is { } lease)
            {
                return lease;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no unit could be leased by {workerId} within {within}");
    }
}
