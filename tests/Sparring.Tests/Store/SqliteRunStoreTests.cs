using Microsoft.Data.Sqlite;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

/// <summary>The conformance suite over SQLite, plus what only SQLite has: the run lock, read-only opening, migrations.</summary>
public sealed class SqliteRunStoreTests : RunStoreConformanceTests
{
    protected override async Task<IRunStore> OpenAsync() => await SqliteRunStore.OpenAsync(Run.Path);

    [Fact]
    public async Task OpenAsync_RunOpenInAnotherStore_ThrowsRunLocked()
    {
        // Arrange
        await using var first = await SqliteRunStore.OpenAsync(Run.Path);

        // Act
        var error = await Record.ExceptionAsync(() => SqliteRunStore.OpenAsync(Run.Path));

        // Assert
        Assert.IsType<RunLockedException>(error);
        Assert.Contains(Run.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAttemptAsync_EachOutcome_ReadsBackTheSameOutcomeAfterReopening()
    {
        // Arrange
        using var run = new TempDirectory();
        await using (var store = await SqliteRunStore.OpenAsync(run.Path))
        {
            // Act
            await store.CommitAttemptAsync(new AttemptRecord("b", 1, GradeOutcome.Solved, "submitted", 3, 10, 1, 1, "a1.diff", "t1.json"));
            await store.CommitAttemptAsync(new AttemptRecord("b", 2, GradeOutcome.Unsolved, "submitted", 4, 20, -1, 1, "a2.diff", "t2.json"));
            await store.CommitAttemptAsync(new AttemptRecord("b", 3, GradeOutcome.Tampered, "submitted", 5, 30, -1, 1, "a3.diff", "t3.json"));
        }

        await using var reopened = await SqliteRunStore.OpenAsync(run.Path);
        await using var reader = await SqliteRunStore.OpenReadOnlyAsync(run.Path);

        // Assert: the outcome survives; a tampered attempt is neither solved nor lost among the unsolved.
        foreach (var attempts in new[] { await reopened.AttemptsAsync("b"), await reader.AttemptsAsync() })
        {
            Assert.Equal([GradeOutcome.Solved, GradeOutcome.Unsolved, GradeOutcome.Tampered], attempts.Select(a => a.Outcome));
            Assert.Equal([true, false, false], attempts.Select(a => a.Solved));
            Assert.Equal([false, false, true], attempts.Select(a => a.Tampered));
            Assert.Equal("a3.diff", attempts[2].PatchPath);
        }

        // The solved column still says what older readers expect.
        Assert.Equal<object?>([1L, 0L, 0L], Column(run.Path, "SELECT solved FROM attempts ORDER BY attempt"));
        Assert.Equal<object?>(["solved", "unsolved", "tampered"], Column(run.Path, "SELECT outcome FROM attempts ORDER BY attempt"));
    }

    [Fact]
    public async Task OpenAsync_DatabaseFromBeforeOutcomes_AddsTheColumnAndOldRowsReadAsSolvedOrUnsolved()
    {
        // Arrange: run.db as the previous version wrote it, attempts without an outcome column.
        using var run = new TempDirectory();
        CreateOldDatabase(run.Path);

        // Act: a reader before the migration, then the migration (opening for writing), a new attempt, and a reader after.
        IReadOnlyList<AttemptRecord> before;
        await using (var reader = await SqliteRunStore.OpenReadOnlyAsync(run.Path))
        {
            before = await reader.AttemptsAsync();
        }

        await using (var store = await SqliteRunStore.OpenAsync(run.Path))
        {
            await store.CommitAttemptAsync(new AttemptRecord("old", 3, GradeOutcome.Tampered, "submitted", 2, 5, -1, 1, "p3.diff", null));
        }

        await using var reopened = await SqliteRunStore.OpenAsync(run.Path);
        var after = await reopened.AttemptsAsync("old");

        // Assert
        Assert.Equal([GradeOutcome.Solved, GradeOutcome.Unsolved], before.Select(a => a.Outcome));
        Assert.Equal([GradeOutcome.Solved, GradeOutcome.Unsolved, GradeOutcome.Tampered], after.Select(a => a.Outcome));
        Assert.Equal(["p1.diff", "p2.diff", "p3.diff"], after.Select(a => a.PatchPath));
        Assert.Equal([1.0, -1.0, -1.0], after.Select(a => a.Reward));
        Assert.Equal<object?>([null, null, "tampered"], Column(run.Path, "SELECT outcome FROM attempts ORDER BY attempt"));
        Assert.Equal(["r1-old"], (await reopened.ArtifactsAsync()).Select(a => a.Id));
    }

    /// <summary>The schema of the version before outcomes, with one round, one artifact, a solved and an unsolved attempt.</summary>
    private static void CreateOldDatabase(string directory)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteRunStore.DatabaseFile)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE rounds (round INTEGER PRIMARY KEY, report TEXT NOT NULL, seconds REAL NOT NULL);
            CREATE TABLE artifacts (id TEXT PRIMARY KEY, round INTEGER NOT NULL, strategy TEXT NOT NULL, ord INTEGER NOT NULL, path TEXT NOT NULL, parent TEXT, seq INTEGER NOT NULL);
            CREATE TABLE attempts (artifact TEXT NOT NULL, attempt INTEGER NOT NULL, solved INTEGER NOT NULL, exit TEXT NOT NULL, turns INTEGER NOT NULL,
                tokens INTEGER NOT NULL, reward REAL NOT NULL, seconds REAL NOT NULL, patch TEXT, trajectory TEXT, PRIMARY KEY (artifact, attempt));
            CREATE TABLE rewards (artifact TEXT PRIMARY KEY, solve_rate REAL NOT NULL, injector_reward REAL NOT NULL);
            CREATE TABLE stages (unit TEXT PRIMARY KEY, stage TEXT NOT NULL, seconds REAL NOT NULL);
            INSERT INTO artifacts VALUES ('r1-old', 1, 'removal', 1, 'rounds/1/bugs/old', NULL, 0);
            INSERT INTO attempts VALUES ('old', 1, 1, 'submitted', 3, 100, 1, 2.0, 'p1.diff', NULL);
            INSERT INTO attempts VALUES ('old', 2, 0, 'submitted', 4, 200, -1, 2.0, 'p2.diff', NULL);
            """;
        command.ExecuteNonQuery();
    }

    private static List<object?> Column(string directory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteRunStore.DatabaseFile)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }
}
