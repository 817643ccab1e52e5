using Npgsql;
using Sparring.Store;

namespace Sparring.Tests.Store;

public sealed class PostgresConnectionStringsTests
{
    [Fact]
    public void ToNpgsql_UrlWithEverything_SetsEachKeyword()
    {
        // Arrange
        const string Url = "postgresql://alice:p%40ss@db.example:6543/sparring%20runs?sslmode=require&application_name=worker-1";

        // Act
        var keywords = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql(Url));

        // Assert
        Assert.Equal("db.example", keywords.Host);
        Assert.Equal(6543, keywords.Port);
        Assert.Equal("alice", keywords.Username);
        Assert.Equal("p@ss", keywords.Password);
        Assert.Equal("sparring runs", keywords.Database);
        Assert.Equal(SslMode.Require, keywords.SslMode);
        Assert.Equal("worker-1", keywords.ApplicationName);
    }

    [Theory]
    [InlineData("postgres://%2Fvar%2Frun%2Fpostgresql/runs", "/var/run/postgresql", 5432, "runs", null)]
    [InlineData("postgresql://bob@[::1]:5433/db", "::1", 5433, "db", "bob")]
    [InlineData("postgresql://localhost", "localhost", 5432, null, null)]
    [InlineData("postgresql:///runs?host=/tmp/pg", "/tmp/pg", 5432, "runs", null)]
    [InlineData("Host=h;Port=7;Database=d;Username=u", "h", 7, "d", "u")]
    public void ToNpgsql_UrlOrKeywords_NamesTheSameServer(string connectionString, string host, int port, string? database, string? user)
    {
        // Act
        var keywords = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql(connectionString));

        // Assert
        Assert.Equal(host, keywords.Host);
        Assert.Equal(port, keywords.Port);
        Assert.Equal(database, keywords.Database);
        Assert.Equal(user, keywords.Username);
    }

    [Theory]
    [InlineData("postgresql://u:secret@h:port/db")]
    [InlineData("postgresql://u@h/db?password=secret&bogus=1")]
    [InlineData("Host=h;Password=secret;Bogus=1")]
    [InlineData(" ")]
    public void ToNpgsql_Malformed_ThrowsArgumentExceptionWithoutThePassword(string connectionString)
    {
        // Act
        var error = Record.Exception(() => PostgresConnectionStrings.ToNpgsql(connectionString));

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
