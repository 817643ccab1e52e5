using Npgsql;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

/// <summary>
/// The lease suite over PostgreSQL, each worker with a store (and connections) of its own as a worker process would
/// have, plus workers that die mid-unit.
/// </summary>
public sealed class PostgresWorkLeasesTests(PostgresDatabase database) : WorkLeasesConformanceTests, IClassFixture<PostgresDatabase>
{
    private readonly string _run = $"run-{Guid.NewGuid():N}";

    protected override async Task<IRunStore> OpenWorkerStoreAsync() => await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);

    [Fact]
    public async Task TryLeaseAsync_WorkersKilledMidUnit_AnotherWorkerRedoesTheirUnitsAndNothingIsLostOrHalfWritten()
    {
        // Arrange: two units. The first worker leases one and dies before completing (its store is gone); a
        // second dies in the middle of completing the other, with the row locked and its result written but not
        // committed, when its server connection is cut (as when its process is killed).
        var survivor = await WorkerAsync();
        await Leases(survivor).EnqueueAsync("u1", "solve", "");
        await Leases(survivor).EnqueueAsync("u2", "solve", "");
        await using (var dead = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path))
        {
            Assert.Equal("u1", (await dead.TryLeaseAsync("dead-1", TimeSpan.FromSeconds(2)))!.UnitKey);
        }

        await using var dying = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);
        Assert.Equal("u2", (await dying.TryLeaseAsync("dead-2", TimeSpan.FromMilliseconds(300)))!.UnitKey);
        // Unpooled: a dead connection must not go back to a pool.
        await using var half = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await half.OpenAsync();
        var backend = half.ProcessID;
        await half.BeginTransactionAsync();
        await Sql(half, "SELECT 1 FROM sparring.units WHERE run = $1 AND key = 'u2' FOR UPDATE", _run);
        await Sql(half, "INSERT INTO sparring.attempts (run, artifact, attempt, solved, outcome, exit, turns, tokens, reward, seconds) VALUES ($1, 'u2', 1, true, 'solved', 'dead-2', 1, 1, 1, 1)", _run);

        // Act: the survivor waits out the first lease (the second expired sooner, but stays locked until the
        // connection dies).
        var firstTaken = await LeaseWithinAsync(Leases(survivor), "survivor", Held, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var whileLocked = await Leases(survivor).TryLeaseAsync("survivor", Held);
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await Sql(admin, "SELECT pg_terminate_backend($1)", backend);
        }

        var secondTaken = await LeaseWithinAsync(Leases(survivor), "survivor", Held, TimeSpan.FromSeconds(20));
        foreach (var unit in new[] { firstTaken.UnitKey, secondTaken.UnitKey })
        {
            Assert.True(await Leases(survivor).CompleteAsync(unit, "survivor", ct => survivor.CommitAttemptAsync(Result(unit, "survivor"), ct)));
        }

        var lateCompletion = await dying.CompleteAsync("u2", "dead-2");

        // Assert
        Assert.Equal(("u1", 2), (firstTaken.UnitKey, firstTaken.Leases));
        Assert.Null(whileLocked);
        Assert.Equal(("u2", 2), (secondTaken.UnitKey, secondTaken.Leases));
        Assert.False(lateCompletion);
        Assert.Equal([("u1", "survivor"), ("u2", "survivor")], (await survivor.AttemptsAsync()).Select(a => (a.ArtifactId, a.Exit)));
        Assert.Equal(0, await Leases(survivor).PendingCountAsync());
    }

    private static async Task Sql(NpgsqlConnection connection, string sql, params object[] parameters)
    {
#pragma warning disable CA2100 // Constant statements of this test.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
