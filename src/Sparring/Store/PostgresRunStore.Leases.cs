using Npgsql;

namespace Sparring.Store;

/// <summary>The work leases of <see cref="PostgresRunStore"/>: the table <c>sparring.units</c>, timed by the server's clock.</summary>
/// <remarks>
/// Leases are stamped and compared with the database server's clock, the one clock every worker shares, so workers on
/// machines whose clocks disagree still agree on when a lease expired.
/// </remarks>
public sealed partial class PostgresRunStore
{
    public Task<bool> EnqueueAsync(string unitKey, string kind, string payload, CancellationToken cancellationToken = default)
    {
        WorkLeaseArguments.Enqueue(unitKey, kind, payload);
        return WriteAsync(
            async (c, t) => await ExecuteAsync(c, t, "INSERT INTO sparring.units (run, key, kind, payload) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", cancellationToken, Run, unitKey, kind, payload).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    public async Task<WorkLease?> TryLeaseAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        WorkLeaseArguments.Lease(workerId, leaseDuration);

        // SKIP LOCKED: a unit another worker is leasing right now is passed over, not waited for. Its lease is
        // rechecked once the row is locked, so a unit leased by a transaction that committed meanwhile is not taken.
        const string Sql = """
            UPDATE sparring.units u SET worker = $2, lease_until = clock_timestamp() + $3, leases = u.leases + 1
            WHERE u.run = $1 AND u.key = (
                SELECT key FROM sparring.units
                WHERE run = $1 AND done IS NULL AND (lease_until IS NULL OR lease_until <= clock_timestamp())
                ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING u.key, u.kind, u.payload, u.lease_until, u.leases
            """;
        var rows = await WriteAsync(
            (c, t) => ReadAsync(
                c, t, Sql,
                r => new WorkLease(r.GetString(0), r.GetString(1), r.GetString(2), workerId, new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero), r.GetInt32(4)),
                cancellationToken, Run, workerId, leaseDuration),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<bool> RenewAsync(string unitKey, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        WorkLeaseArguments.Renew(unitKey, workerId, leaseDuration);
        return WriteAsync(
            async (c, t) => await ExecuteAsync(
                c, t, "UPDATE sparring.units SET lease_until = clock_timestamp() + $4 WHERE run = $1 AND key = $2 AND worker = $3 AND done IS NULL",
                cancellationToken, Run, unitKey, workerId, leaseDuration).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    public Task<bool> CompleteAsync(string unitKey, string workerId, CancellationToken cancellationToken = default) =>
        CompleteAsync(unitKey, workerId, _ => Task.CompletedTask, cancellationToken);

    public async Task<bool> CompleteAsync(string unitKey, string workerId, Func<CancellationToken, Task> commit, CancellationToken cancellationToken = default)
    {
        WorkLeaseArguments.Complete(unitKey, workerId, commit, nested: _ambient.Value is not null);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The row lock holds off a takeover (TryLeaseAsync skips the row) until this transaction ends.
        var held = await ReadAsync(
            connection, transaction, "SELECT 1 FROM sparring.units WHERE run = $1 AND key = $2 AND worker = $3 AND done IS NULL FOR UPDATE",
            r => true, cancellationToken, Run, unitKey, workerId).ConfigureAwait(false);
        if (held.Count == 0)
        {
            return false;
        }

        _ambient.Value = new Ambient(connection, transaction);
        try
        {
            await commit(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ambient.Value = null;
        }

        await ExecuteAsync(connection, transaction, "UPDATE sparring.units SET done = clock_timestamp(), lease_until = NULL WHERE run = $1 AND key = $2", cancellationToken, Run, unitKey).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    public async Task<int> PendingCountAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync("SELECT count(*) FROM sparring.units WHERE run = $1 AND done IS NULL", r => r.GetInt64(0), cancellationToken, Run).ConfigureAwait(false);
        return checked((int)rows[0]);
    }
}
