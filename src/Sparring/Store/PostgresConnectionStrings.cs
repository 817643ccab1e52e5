using Npgsql;

namespace Sparring.Store;

/// <summary>Reads the two ways users name a PostgreSQL database: a <c>postgresql://</c> URL (libpq's) or Npgsql keywords.</summary>
internal static class PostgresConnectionStrings
{
    /// <summary>
    /// Npgsql keywords for <paramref name="connectionString"/>: a URL <c>postgres[ql]://[user[:password]@][host][:port][/database][?key=value&amp;...]</c>
    /// (a host that starts with <c>/</c>, percent-encoded, is a socket directory, as in libpq; query keys are Npgsql's
    /// or libpq's common ones), or Npgsql keywords as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The URL or keywords are malformed.</exception>
    public static string ToNpgsql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        if (!text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(text).ConnectionString;
        }

        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var parameters = query >= 0 ? rest[(query + 1)..] : "";
        rest = query >= 0 ? rest[..query] : rest;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : "";
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var user = authority[..at];
            var colon = user.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? user[..colon] : user);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(user[(colon + 1)..]);
            }

            authority = authority[(at + 1)..];
        }

        SetHostAndPort(builder, authority);
        if (database.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        foreach (var pair in parameters.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            var value = Uri.UnescapeDataString(equals >= 0 ? pair[(equals + 1)..] : "");
            try
            {
                builder[LibpqKeywords.GetValueOrDefault(key, key)] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"the PostgreSQL URL has a parameter Npgsql does not know or accept: '{key}'", nameof(connectionString), ex);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The libpq query keys whose Npgsql name differs.</summary>
    private static readonly Dictionary<string, string> LibpqKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["user"] = "Username",
        ["dbname"] = "Database",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslrootcert"] = "Root Certificate",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    private static void SetHostAndPort(NpgsqlConnectionStringBuilder builder, string authority)
    {
        if (authority.Length == 0)
        {
            return;
        }

        // [v6]:port, host:port, or a host alone (an escaped socket directory has no ':' left to confuse).
        var portSeparator = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        var host = portSeparator > 0 ? authority[..portSeparator] : authority;
        if (portSeparator > 0)
        {
            if (!int.TryParse(authority[(portSeparator + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                // The URL itself is not quoted: it may hold a password.
                throw new ArgumentException($"the PostgreSQL URL has a malformed port after host '{host}'");
            }

            builder.Port = port;
        }

        builder.Host = Uri.UnescapeDataString(host.Trim('[', ']'));
    }
}
