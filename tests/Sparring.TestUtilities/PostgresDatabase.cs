using Xunit;

namespace Sparring.TestUtilities;

/// <summary>
/// A class fixture: an empty database of its own on the tests' <see cref="PostgresServer"/>, dropped when the class is
/// done.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>Npgsql keywords for the database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The server, to make more databases.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.AcquireAsync().ConfigureAwait(false);
        ConnectionString = await _server.CreateDatabaseAsync("sparring_test").ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        try
        {
            await _server.DropDatabaseAsync(ConnectionString).ConfigureAwait(false);
        }
        finally
        {
            await PostgresServer.ReleaseAsync().ConfigureAwait(false);
        }
    }
}
