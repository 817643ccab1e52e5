using Sparring.Store;

namespace Sparring.Tests.Store;

/// <summary>The lease suite over SQLite (the workers of one process share the run's one store), plus its injected clock.</summary>
public sealed class SqliteWorkLeasesTests : WorkLeasesConformanceTests
{
    private SqliteRunStore? _store;

    protected override async Task<IRunStore> OpenWorkerStoreAsync() => _store ??= await SqliteRunStore.OpenAsync(Run.Path);

    [Fact]
    public async Task TryLeaseAsync_InjectedClockPassesTheLease_AnotherWorkerTakesOverAndLeasesSurviveReopening()
    {
        // Arrange: a clock that only moves when told.
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        IReadOnlyList<WorkLease?> leases;
        await using (var store = await SqliteRunStore.OpenAsync(Run.Path, clock))
        {
            await store.EnqueueAsync("u", "solve", "p");
            var first = await store.TryLeaseAsync("w1", TimeSpan.FromMinutes(10));
            clock.Now += TimeSpan.FromMinutes(9);
            var beforeExpiry = await store.TryLeaseAsync("w2", TimeSpan.FromMinutes(10));
            leases = [first, beforeExpiry];
        }

        // Act: the process restarts (the store is reopened) after the lease ran out.
        clock.Now += TimeSpan.FromMinutes(2);
        await using var reopened = await SqliteRunStore.OpenAsync(Run.Path, clock);
        var takeover = await reopened.TryLeaseAsync("w2", TimeSpan.FromMinutes(10));

        // Assert
        Assert.Equal(clock.Start.AddMinutes(10), leases[0]!.ExpiresAt);
        Assert.Null(leases[1]);
        Assert.Equal(("u", 2, clock.Start.AddMinutes(21)), (takeover!.UnitKey, takeover.Leases, takeover.ExpiresAt));
        Assert.False(await reopened.CompleteAsync("u", "w1"));
        Assert.True(await reopened.CompleteAsync("u", "w2"));
        Assert.Equal(0, await reopened.PendingCountAsync());
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
