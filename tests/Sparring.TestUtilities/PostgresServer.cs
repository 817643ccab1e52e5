using System.Diagnostics;
using Npgsql;
using Sparring.Store;

namespace Sparring.TestUtilities;

/// <summary>
/// The PostgreSQL server of the tests: the one named by <c>SPARRING_TEST_POSTGRES</c> (a URL or Npgsql keywords, of a
/// role that may create databases) when set, else a private server this process starts from Debian's binaries: a fresh
/// cluster in a temp directory, reachable only through a Unix socket in that directory, owned by the
/// <c>postgres</c> user when the tests run as root (PostgreSQL refuses to run as root). It stops, and its directory
/// is deleted, when the last test class using it is done (or at the latest when the test process exits).
/// </summary>
public sealed class PostgresServer
{
    /// <summary>The environment variable that names an existing server to use instead of a private one.</summary>
    public const string EnvironmentVariable = "SPARRING_TEST_POSTGRES";

    private const int Port = 5432;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _current;
    private static int _users;

    private readonly string? _directory;

    private PostgresServer(string adminConnectionString, string? directory)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
    }

    /// <summary>Npgsql keywords for the server's <c>postgres</c> database, as a role that may create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this process started the server (no <see cref="EnvironmentVariable"/>).</summary>
    public bool IsPrivate => _directory is not null;

    /// <summary>The shared server, started on the first call; pair each call with <see cref="ReleaseAsync"/>.</summary>
    public static async Task<PostgresServer> AcquireAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_current is null)
            {
                var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
                _current = string.IsNullOrWhiteSpace(external) ? await StartPrivateAsync().ConfigureAwait(false) : new PostgresServer(PostgresConnectionStrings.ToNpgsql(external), null);
                AppDomain.CurrentDomain.ProcessExit += StopAtExit;
            }

            _users++;
            return _current;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the private server once no test class uses it.</summary>
    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--_users == 0 && _current is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
                await _current.StopAsync().ConfigureAwait(false);
                _current = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database with a unique name and returns Npgsql keywords for it.</summary>
    /// <remarks>
    /// Its collation sorts linguistically ("a" before "B") where the server allows it (ICU, PostgreSQL 15 and later),
    /// unlike SQLite's byte order, so tests see whether the store orders rows as SQLite does.
    /// </remarks>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'").ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            await ExecuteAsync(connection, $"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its connections.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
#pragma warning disable CA2100 // Test-made names only.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<PostgresServer> StartPrivateAsync()
    {
        var bin = BinDirectory();
        var directory = Directory.CreateTempSubdirectory("sparring-pg-").FullName;
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", directory]).ConfigureAwait(false);
            }

            var data = Path.Combine(directory, "data");
            await RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]).ConfigureAwait(false);

            // No TCP: the socket in the private directory is the only way in. Durability is not wanted here.
            var options = $"-k {directory} -c listen_addresses='' -p {Port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"]).ConfigureAwait(false);
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }

        var admin = new NpgsqlConnectionStringBuilder { Host = directory, Port = Port, Username = "postgres", Database = "postgres" };
        return new PostgresServer(admin.ConnectionString, directory);
    }

    private async Task StopAsync()
    {
        if (_directory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]).ConfigureAwait(false);
        }
        finally
        {
            DeleteDirectory(_directory);
        }
    }

    private static void StopAtExit(object? sender, EventArgs e) => _current?.StopAsync().GetAwaiter().GetResult();

    /// <summary>The newest Debian PostgreSQL's binaries (<c>/usr/lib/postgresql/N/bin</c>).</summary>
    private static string BinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        var newest = Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "bin", "initdb"))).OrderByDescending(d => d.Version).FirstOrDefault().Directory
            : null;
        return newest is null
            ? throw new InvalidOperationException($"no PostgreSQL server binaries under {Root}: install the Debian package 'postgresql', or set {EnvironmentVariable} to a server's connection string")
            : Path.Combine(newest, "bin");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string file, IReadOnlyList<string> arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : RunAsync(file, arguments);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
