using Npgsql;

namespace Sparring.Store;

/// <summary>How <see cref="PostgresRunStore"/> runs its statements: a pooled connection per call, or the ambient transaction of a completion.</summary>
public sealed partial class PostgresRunStore
{
    /// <summary>Runs <paramref name="work"/> in a transaction of its own, or in the ambient one of a completion in progress.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_ambient.Value is { } ambient)
        {
            return await work(ambient.Connection, ambient.Transaction).ConfigureAwait(false);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);

        // Not cancellable: a unit that finished is committed whole.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private Task<bool> WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                await work(c, t).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
    {
        if (_ambient.Value is { } ambient)
        {
            return await ReadAsync(ambient.Connection, ambient.Transaction, sql, map, cancellationToken, parameters).ConfigureAwait(false);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, sql, map, cancellationToken, parameters).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object?[] parameters)
    {
#pragma warning disable CA2100 // Every statement is a constant of this class; values travel as parameters.
        var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>The connection and transaction a completion lends to the store's writes made inside it.</summary>
    private sealed record Ambient(NpgsqlConnection Connection, NpgsqlTransaction Transaction);
}
