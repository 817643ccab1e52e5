using System.Text.Json;
using Npgsql;

namespace Sparring.Store;

/// <summary>
/// Which store holds the run of a run directory: SQLite in the directory (<c>run.db</c>, the default), or PostgreSQL, named
/// by <c>store.json</c> in the directory so that resuming and exporting find it (without its password: give that by
/// <c>PGPASSWORD</c> or a <c>.pgpass</c> file, as for psql).
/// </summary>
public static class RunStores
{
    /// <summary>The file that names a run's PostgreSQL store.</summary>
    public const string LocationFile = "store.json";

    /// <summary>True when the directory holds a run in either store.</summary>
    public static bool Exists(string runDirectory) =>
        SqliteRunStore.Exists(runDirectory) || File.Exists(Path.Combine(runDirectory, LocationFile));

    /// <summary>
    /// Opens the run's store: the PostgreSQL database <paramref name="store"/> names (a <c>postgresql://</c> URL or Npgsql
    /// keywords; the run gets an id of its own there, written with the database to <see cref="LocationFile"/>), else the
    /// one <see cref="LocationFile"/> names, else SQLite in the directory.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed store, or one other than the run's own.</exception>
    public static async Task<IRunStore> OpenAsync(string runDirectory, string? store, CancellationToken cancellationToken = default)
    {
        var location = await ReadLocationAsync(runDirectory, cancellationToken).ConfigureAwait(false);
        if (store is not null)
        {
            if (SqliteRunStore.Exists(runDirectory))
            {
                throw new ArgumentException($"'{runDirectory}' holds a run in SQLite ({SqliteRunStore.DatabaseFile}); it cannot move to --store");
            }

            var given = Redacted(PostgresConnectionStrings.ToNpgsql(store));
            if (location is not null && !SameDatabase(location.Connection, given))
            {
                throw new ArgumentException($"'{runDirectory}' holds a run in another store ({location.Connection})");
            }

            if (location is null)
            {
                location = new StoreLocation("postgresql", given, Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory)) + "-" + Guid.NewGuid().ToString("N")[..8]);
                Directory.CreateDirectory(runDirectory);
                await File.WriteAllTextAsync(Path.Combine(runDirectory, LocationFile), JsonSerializer.Serialize(location, StoreJsonContext.Default.StoreLocation), cancellationToken).ConfigureAwait(false);
            }

            return await PostgresRunStore.OpenAsync(PostgresConnectionStrings.ToNpgsql(store), location.Run, runDirectory, cancellationToken).ConfigureAwait(false);
        }

        return location is not null
            ? await PostgresRunStore.OpenAsync(location.Connection, location.Run, runDirectory, cancellationToken).ConfigureAwait(false)
            : await SqliteRunStore.OpenAsync(runDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the run's store for reading (exports, reports): the one <see cref="LocationFile"/> names, else SQLite read-only.</summary>
    public static async Task<IRunStore> OpenReadOnlyAsync(string runDirectory, CancellationToken cancellationToken = default) =>
        await ReadLocationAsync(runDirectory, cancellationToken).ConfigureAwait(false) is { } location
            ? await PostgresRunStore.OpenAsync(location.Connection, location.Run, runDirectory, cancellationToken).ConfigureAwait(false)
            : await SqliteRunStore.OpenReadOnlyAsync(runDirectory, cancellationToken).ConfigureAwait(false);

    private static async Task<StoreLocation?> ReadLocationAsync(string runDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(runDirectory, LocationFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var location = JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), StoreJsonContext.Default.StoreLocation);
            return location is { Kind: "postgresql", Connection.Length: > 0, Run.Length: > 0 }
                ? location
                : throw new InvalidDataException($"{path} does not name a PostgreSQL store (kind, connection, run)");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The connection without its password: what may be written to a file.</summary>
    private static string Redacted(string npgsql) => new NpgsqlConnectionStringBuilder(npgsql) { Password = null }.ConnectionString;

    private static bool SameDatabase(string a, string b)
    {
        var (x, y) = (new NpgsqlConnectionStringBuilder(a), new NpgsqlConnectionStringBuilder(b));
        return x.Host == y.Host && x.Port == y.Port && x.Database == y.Database;
    }
}
