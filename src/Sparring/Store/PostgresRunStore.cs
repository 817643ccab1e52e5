using Npgsql;
using Sparring.Grading;

namespace Sparring.Store;

/// <summary>
/// The record of a self-play run in PostgreSQL, shared by the workers of the run on any number of machines: rounds,
/// artifacts, attempts, rewards and stage times in tables of the schema <c>sparring</c>, every row keyed by the run,
/// so many runs share one database. Diffs and trajectories stay files in the run directory. Each unit of work is one
/// transaction, so a worker killed at any moment leaves the run at its last committed unit, without a half-written one.
/// </summary>
/// <remarks>
/// <para>
/// The semantics are <see cref="SqliteRunStore"/>'s: a round, attempt or reward committed twice fails (a unit is never
/// recorded twice) and keeps the first; <see cref="SetMetaOnceAsync"/> and <see cref="RecordStageAsync"/> keep their
/// first value. Unlike SQLite, any number of processes may open the same run at once; <see cref="IWorkLeases"/> is
/// how they share its work.
/// </para>
/// <para>
/// Opening creates the schema when missing, under an advisory lock, so processes that open at once do not race.
/// Thread-safe: each call takes a pooled connection of its own.
/// </para>
/// </remarks>
public sealed partial class PostgresRunStore : IRunStore, IWorkLeases
{
    /// <summary>The PostgreSQL schema that holds the tables of every run.</summary>
    public const string Schema = "sparring";

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>The connection and transaction of a <see cref="CompleteAsync(string, string, Func{CancellationToken, Task}, CancellationToken)"/> in progress on this flow.</summary>
    private readonly AsyncLocal<Ambient?> _ambient = new();

    private PostgresRunStore(NpgsqlDataSource dataSource, string run, string directory)
    {
        _dataSource = dataSource;
        Run = run;
        Directory = directory;
    }

    /// <summary>The run's id: the key of its rows.</summary>
    public string Run { get; }

    public string Directory { get; }

    /// <summary>
    /// Opens the run <paramref name="run"/> in the database named by <paramref name="connectionString"/>, creating the
    /// schema and the run when missing.
    /// </summary>
    /// <param name="connectionString">A <c>postgresql://user[:password]@host[:port]/database</c> URL or Npgsql keywords (<c>Host=...;Database=...</c>).</param>
    /// <param name="run">The run's id, shared by every worker of the run.</param>
    /// <param name="runDirectory">The run directory (created if needed) where diffs and trajectories are files.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="ArgumentException">The connection string is malformed, or the run id is empty.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the connection.</exception>
    public static async Task<PostgresRunStore> OpenAsync(string connectionString, string run, string runDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        var dataSource = NpgsqlDataSource.Create(PostgresConnectionStrings.ToNpgsql(connectionString));
        try
        {
            System.IO.Directory.CreateDirectory(runDirectory);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // CREATE ... IF NOT EXISTS alone races in PostgreSQL (two creators both pass the check, one fails on
            // the catalog's unique index): the advisory lock makes openers take turns until the commit.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, SchemaLockKey).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, SchemaSql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO sparring.runs (run) VALUES ($1) ON CONFLICT DO NOTHING", cancellationToken, run).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresRunStore(dataSource, run, runDirectory);
    }

    /// <summary>The advisory lock key that serializes schema creation ("sparring" in ASCII, as a number).</summary>
    private const long SchemaLockKey = 0x73706172_72696e67;

    private const string SchemaSql = """
        CREATE SCHEMA IF NOT EXISTS sparring;
        CREATE TABLE IF NOT EXISTS sparring.runs (run text PRIMARY KEY, created timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS sparring.meta (run text NOT NULL, key text NOT NULL, value text NOT NULL, PRIMARY KEY (run, key));
        CREATE TABLE IF NOT EXISTS sparring.rounds (run text NOT NULL, round integer NOT NULL, report text NOT NULL, seconds double precision NOT NULL, PRIMARY KEY (run, round));
        CREATE TABLE IF NOT EXISTS sparring.artifacts (run text NOT NULL, id text NOT NULL, round integer NOT NULL, strategy text NOT NULL, ord integer NOT NULL,
            path text NOT NULL, parent text, seq bigint GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (run, id));
        CREATE TABLE IF NOT EXISTS sparring.attempts (run text NOT NULL, artifact text NOT NULL, attempt integer NOT NULL, solved boolean NOT NULL, outcome text NOT NULL,
            exit text NOT NULL, turns integer NOT NULL, tokens bigint NOT NULL, reward double precision NOT NULL, seconds double precision NOT NULL, patch text, trajectory text,
            PRIMARY KEY (run, artifact, attempt));
        CREATE TABLE IF NOT EXISTS sparring.rewards (run text NOT NULL, artifact text NOT NULL, solve_rate double precision NOT NULL, injector_reward double precision NOT NULL,
            PRIMARY KEY (run, artifact));
        CREATE TABLE IF NOT EXISTS sparring.stages (run text NOT NULL, unit text NOT NULL, stage text NOT NULL, seconds double precision NOT NULL, PRIMARY KEY (run, unit));
        CREATE TABLE IF NOT EXISTS sparring.units (run text NOT NULL, key text NOT NULL, kind text NOT NULL, payload text NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY, worker text, lease_until timestamptz, leases integer NOT NULL DEFAULT 0, done timestamptz,
            PRIMARY KEY (run, key));
        CREATE INDEX IF NOT EXISTS units_open ON sparring.units (run, seq) WHERE done IS NULL;
        """;

    public async Task<string?> GetMetaAsync(string key, CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync("SELECT value FROM sparring.meta WHERE run = $1 AND key = $2", r => r.GetString(0), cancellationToken, Run, key).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Sets a value only when the key has none (the run's options are fixed by its first start).</summary>
    public Task SetMetaOnceAsync(string key, string value, CancellationToken cancellationToken = default) =>
        WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO sparring.meta (run, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", cancellationToken, Run, key, value), cancellationToken);

    public async Task<RoundRecord?> GetRoundAsync(int round, CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync("SELECT report, seconds FROM sparring.rounds WHERE run = $1 AND round = $2", r => new RoundRecord(round, r.GetString(0), r.GetDouble(1)), cancellationToken, Run, round).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<RoundRecord>> RoundsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("SELECT round, report, seconds FROM sparring.rounds WHERE run = $1 ORDER BY round", r => new RoundRecord(r.GetInt32(0), r.GetString(1), r.GetDouble(2)), cancellationToken, Run);

    /// <summary>Commits a round's injection and its valid artifacts in one transaction.</summary>
    public Task CommitRoundAsync(RoundRecord round, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(artifacts);
        return WriteAsync(
            async (c, t) =>
            {
                await ExecuteAsync(c, t, "INSERT INTO sparring.rounds (run, round, report, seconds) VALUES ($1, $2, $3, $4)", cancellationToken, Run, round.Round, round.ReportJson, round.Seconds).ConfigureAwait(false);
                foreach (var a in artifacts)
                {
                    await ExecuteAsync(
                        c, t, "INSERT INTO sparring.artifacts (run, id, round, strategy, ord, path, parent) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        cancellationToken, Run, a.Id, a.Round, a.Strategy, a.Order, a.Path, a.Parent).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// Valid artifacts in the order they were committed; of one round when <paramref name="round"/> is given. (Rounds
    /// that several processes commit at the same moment are ordered by when their rows were written.)
    /// </summary>
    public Task<IReadOnlyList<ArtifactRecord>> ArtifactsAsync(int? round = null, CancellationToken cancellationToken = default)
    {
        const string Columns = "SELECT id, round, strategy, ord, path, parent FROM sparring.artifacts WHERE run = $1";
        static ArtifactRecord Map(NpgsqlDataReader x) => new(x.GetString(0), x.GetInt32(1), x.GetString(2), x.GetInt32(3), x.GetString(4), x.IsDBNull(5) ? null : x.GetString(5));
        return round is { } r
            ? ReadAsync(Columns + " AND round = $2 ORDER BY seq", Map, cancellationToken, Run, r)
            : ReadAsync(Columns + " ORDER BY seq", Map, cancellationToken, Run);
    }

    public Task CommitAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return WriteAsync(
            (c, t) => ExecuteAsync(
                c, t,
                "INSERT INTO sparring.attempts (run, artifact, attempt, solved, outcome, exit, turns, tokens, reward, seconds, patch, trajectory) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                cancellationToken,
                Run, attempt.ArtifactId, attempt.Attempt, attempt.Solved, attempt.Outcome.Value, attempt.Exit, attempt.Turns, attempt.Tokens, attempt.Reward, attempt.Seconds, attempt.PatchPath, attempt.TrajectoryPath),
            cancellationToken);
    }

    /// <summary>Graded attempts, by artifact (in byte order, as SQLite sorts) and attempt number.</summary>
    public Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string? artifactId = null, CancellationToken cancellationToken = default)
    {
        const string Columns = "SELECT artifact, attempt, solved, exit, turns, tokens, reward, seconds, patch, trajectory, outcome FROM sparring.attempts WHERE run = $1";
        static AttemptRecord Map(NpgsqlDataReader r) => new(
            r.GetString(0), r.GetInt32(1), GradeOutcome.Parse(r.GetString(10), r.GetBoolean(2)), r.GetString(3), r.GetInt32(4), r.GetInt64(5), r.GetDouble(6), r.GetDouble(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));
        return artifactId is null
            ? ReadAsync(Columns + " ORDER BY artifact COLLATE \"C\", attempt", Map, cancellationToken, Run)
            : ReadAsync(Columns + " AND artifact = $2 ORDER BY attempt", Map, cancellationToken, Run, artifactId);
    }

    public Task CommitRewardAsync(RewardRecord reward, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reward);
        return WriteAsync(
            (c, t) => ExecuteAsync(c, t, "INSERT INTO sparring.rewards (run, artifact, solve_rate, injector_reward) VALUES ($1, $2, $3, $4)", cancellationToken, Run, reward.ArtifactId, reward.SolveRate, reward.InjectorReward),
            cancellationToken);
    }

    /// <summary>Rewards by artifact, in byte order (as SQLite sorts, whatever the database's collation).</summary>
    public Task<IReadOnlyList<RewardRecord>> RewardsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("SELECT artifact, solve_rate, injector_reward FROM sparring.rewards WHERE run = $1 ORDER BY artifact COLLATE \"C\"", r => new RewardRecord(r.GetString(0), r.GetDouble(1), r.GetDouble(2)), cancellationToken, Run);

    /// <summary>Records the time of a unit of work under a stage, once per unit (a redone unit keeps its first record).</summary>
    public Task RecordStageAsync(string unit, string stage, double seconds, CancellationToken cancellationToken = default) =>
        WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO sparring.stages (run, unit, stage, seconds) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", cancellationToken, Run, unit, stage, seconds), cancellationToken);

    public async Task<IReadOnlyDictionary<string, double>> SecondsByStageAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync("SELECT stage, SUM(seconds) FROM sparring.stages WHERE run = $1 GROUP BY stage", r => (r.GetString(0), Math.Round(r.GetDouble(1), 1)), cancellationToken, Run).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
