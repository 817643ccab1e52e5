using Npgsql;
using Sparring.Grading;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

/// <summary>
/// The conformance suite over PostgreSQL (a run of its own per test, all in the class's database), plus what only a
/// shared store has: several runs in one database, several processes on one run, schema creation racing.
/// </summary>
public sealed class PostgresRunStoreTests(PostgresDatabase database) : RunStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    private readonly string _run = $"run-{Guid.NewGuid():N}";

    protected override async Task<IRunStore> OpenAsync() => await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);

    [Fact]
    public async Task OpenAsync_TwoRunsInOneDatabase_EachSeesOnlyItsOwnRows()
    {
        // Arrange
        using var otherDirectory = new TempDirectory("sparring-run-");
        await using var store = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);
        await using var other = await PostgresRunStore.OpenAsync(database.ConnectionString, _run + "-other", otherDirectory.Path);

        // Act: the same keys in both runs.
        foreach (var s in new[] { store, other })
        {
            await s.CommitRoundAsync(new RoundRecord(1, s.Run, 1), [new ArtifactRecord("a", 1, "removal", 1, "rounds/1/bugs/a", null)]);
            await s.CommitAttemptAsync(new AttemptRecord("a", 1, GradeOutcome.Solved, "submitted", 1, 1, 1, 1, null, null));
            await s.CommitRewardAsync(new RewardRecord("a", 1, -1));
            await s.SetMetaOnceAsync("k", s.Run);
            await s.RecordStageAsync("inject:1", "inject", s == store ? 1 : 2);
            await s.EnqueueAsync("u", "solve", s.Run);
        }

        // Assert
        Assert.Equal(_run, (await store.GetRoundAsync(1))!.ReportJson);
        Assert.Equal(_run + "-other", await other.GetMetaAsync("k"));
        Assert.Single(await store.ArtifactsAsync());
        Assert.Single(await other.AttemptsAsync());
        Assert.Single(await store.RewardsAsync());
        Assert.Equal(2.0, (await other.SecondsByStageAsync())["inject"]);
        Assert.Equal(_run, (await store.TryLeaseAsync("w", TimeSpan.FromMinutes(1)))!.Payload);
        Assert.Equal(1, await other.PendingCountAsync());
        Assert.Equal(otherDirectory.Path, other.Directory);
    }

    [Fact]
    public async Task OpenAsync_SeveralProcessesAtOnceOnAnEmptyDatabase_CreateTheSchemaWithoutFailing()
    {
        // Arrange
        var empty = await database.Server.CreateDatabaseAsync("sparring_schema");
        try
        {
            // Act: six openers race to create the schema, then commit.
            var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => PostgresRunStore.OpenAsync(empty, $"run-{i % 2}", Run.Path))));
            await Task.WhenAll(stores.Select((s, i) => s.CommitAttemptAsync(new AttemptRecord($"a{i}", 1, GradeOutcome.Solved, "submitted", 1, 1, 1, 1, null, null))));
            var counts = await Task.WhenAll(stores.Take(2).Select(async s => (await s.AttemptsAsync()).Count));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            // Assert
            Assert.Equal([3, 3], counts);
        }
        finally
        {
            await database.Server.DropDatabaseAsync(empty);
        }
    }

    [Fact]
    public async Task CommitAsync_TwoStoresOnOneRunAtOnce_LoseNothingAndDuplicateNothing()
    {
        // Arrange: two stores of one run, as two worker processes would have.
        await using var first = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);
        await using var second = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path);
        const int Rounds = 20;

        // Act: each commits its own rounds, and both commit every attempt of a shared list (only one may win each).
        async Task<int> WorkAsync(PostgresRunStore store, int parity)
        {
            var won = 0;
            for (var i = 0; i < Rounds; i++)
            {
                var round = (2 * i) + parity + 1;
                await store.CommitRoundAsync(new RoundRecord(round, "{}", 1), [new ArtifactRecord($"r{round}-a", round, "removal", 1, "a", null), new ArtifactRecord($"r{round}-b", round, "removal", 2, "b", null)]);
                await store.RecordStageAsync($"inject:{round}", "inject", 0.5);
                try
                {
                    await store.CommitAttemptAsync(new AttemptRecord($"shared{i}", 1, parity == 0 ? GradeOutcome.Solved : GradeOutcome.Unsolved, "submitted", 1, 1, 1, 1, null, null));
                    won++;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                }
            }

            return won;
        }

        var won = await Task.WhenAll(Task.Run(() => WorkAsync(first, 0)), Task.Run(() => WorkAsync(second, 1)));

        // Assert
        var rounds = await first.RoundsAsync();
        var artifacts = await second.ArtifactsAsync();
        Assert.Equal(Enumerable.Range(1, 2 * Rounds), rounds.Select(r => r.Round));
        Assert.Equal(4 * Rounds, artifacts.Count);
        Assert.Equal(4 * Rounds, artifacts.Select(a => a.Id).Distinct().Count());
        foreach (var parity in new[] { 0, 1 })
        {
            // Each writer's artifacts keep its commit order, each round's 'a' before its 'b'.
            var own = artifacts.Where(a => a.Round % 2 != parity).Select(a => a.Id).ToList();
            Assert.Equal(Enumerable.Range(0, Rounds).SelectMany(i => new[] { $"r{(2 * i) + parity + 1}-a", $"r{(2 * i) + parity + 1}-b" }), own);
        }

        Assert.Equal(Rounds, won.Sum());
        Assert.Equal(Rounds, (await first.AttemptsAsync()).Count);
        Assert.Equal(Rounds, (await second.SecondsByStageAsync())["inject"]);
    }

    [Fact]
    public async Task OpenAsync_UrlOfTheSameDatabase_OpensTheSameRun()
    {
        // Arrange
        var keywords = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var password = keywords.Password is { } p ? ":" + Uri.EscapeDataString(p) : "";
        var url = $"postgresql://{Uri.EscapeDataString(keywords.Username ?? "postgres")}{password}@{Uri.EscapeDataString(keywords.Host!)}:{keywords.Port}/{Uri.EscapeDataString(keywords.Database!)}";
        await using (var store = await PostgresRunStore.OpenAsync(database.ConnectionString, _run, Run.Path))
        {
            await store.SetMetaOnceAsync(RunMetaKeys.Commit, "abc");
        }

        // Act
        await using var byUrl = await PostgresRunStore.OpenAsync(url, _run, Run.Path);

        // Assert
        Assert.Equal("abc", await byUrl.GetMetaAsync(RunMetaKeys.Commit));
    }
}
