using Microsoft.Data.Sqlite;

namespace Router.Transport.Sqlite.Messages;

/// <summary>
/// The statements on <c>transport_messages</c>. Every method runs inside a transaction handed out by
/// <see cref="Database.SqliteDatabase"/> and leaves committing to it.
/// </summary>
internal static class MessageTable
{
    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OutgoingRow> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var command = StatementCache.For(connection, transaction,
            "INSERT INTO transport_messages (queue, visible_at, expires_at, headers, body) VALUES ($queue, $visible, $expires, $headers, $body)");
        var queue = command.Parameters.Add("$queue", SqliteType.Text);
        var visible = command.Parameters.Add("$visible", SqliteType.Integer);
        var expires = command.Parameters.Add("$expires", SqliteType.Integer);
        var headers = command.Parameters.Add("$headers", SqliteType.Text);
        var body = command.Parameters.Add("$body", SqliteType.Blob);
        foreach (var row in rows)
        {
            queue.Value = row.Queue;
            visible.Value = row.VisibleAt;
            expires.Value = row.ExpiresAt is { } at ? at : DBNull.Value;
            headers.Value = row.Headers;
            body.Value = row.Body;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> visible, unexpired rows of a queue, oldest first. A lease is just a
    /// visible_at in the future, so an expired lease (a crashed host) makes the row receivable again by itself.
    /// </summary>
    public static async Task<List<LeasedMessage>> LeaseAsync(SqliteConnection connection, SqliteTransaction transaction, string queue,
        long nowMs, long leaseUntilMs, string leaseToken, string leaseOwner, int limit, CancellationToken cancellationToken)
    {
        var command = StatementCache.For(connection, transaction, """
            UPDATE transport_messages
               SET visible_at = $until, lease_token = $token, lease_owner = $owner, delivery_count = delivery_count + 1
             WHERE id IN (SELECT id FROM transport_messages
                           WHERE queue = $queue AND visible_at <= $now AND (expires_at IS NULL OR expires_at > $now)
                           ORDER BY visible_at, id
                           LIMIT $limit)
            RETURNING id, delivery_count, expires_at, headers, body
            """);
        command.Parameters.AddWithValue("$until", leaseUntilMs);
        command.Parameters.AddWithValue("$token", leaseToken);
        command.Parameters.AddWithValue("$owner", leaseOwner);
        command.Parameters.AddWithValue("$queue", queue);
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        var leased = new List<LeasedMessage>(limit);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leased.Add(new LeasedMessage(
                    Id: reader.GetInt64(0),
                    Queue: queue,
                    LeaseToken: leaseToken,
                    DeliveryCount: reader.GetInt64(1),
                    ExpiresAt: reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    Headers: reader.GetString(3),
                    Body: reader.GetFieldValue<byte[]>(4)));
            }
        }
        // RETURNING gives no order; the queue's order is visible_at, then id, and visible_at now reads the same for all.
        leased.Sort((a, b) => a.Id.CompareTo(b.Id));
        return leased;
    }

    /// <summary>The earliest moment a row of the queue becomes visible (a due deferral or a lapsing lease), if any.</summary>
    public static async Task<long?> NextVisibleAtAsync(SqliteConnection connection, SqliteTransaction transaction, string queue, long nowMs,
        CancellationToken cancellationToken)
    {
        var command = StatementCache.For(connection, transaction,
            "SELECT MIN(visible_at) FROM transport_messages WHERE queue = $queue AND visible_at > $now");
        command.Parameters.AddWithValue("$queue", queue);
        command.Parameters.AddWithValue("$now", nowMs);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long next ? next : null;
    }

    /// <summary>Deletes a received row if this lease still holds it; false means the lease ran out and someone else may have it.</summary>
    public static async Task<bool> DeleteLeasedAsync(SqliteConnection connection, SqliteTransaction transaction, long id, string leaseToken,
        CancellationToken cancellationToken)
    {
        var command = StatementCache.For(connection, transaction, "DELETE FROM transport_messages WHERE id = $id AND lease_token = $token");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$token", leaseToken);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Makes leased rows visible at once again, each only if its lease token still holds it.</summary>
    public static async Task<int> ReleaseAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<LeasedMessage> messages,
        long nowMs, CancellationToken cancellationToken)
    {
        var command = StatementCache.For(connection, transaction,
            "UPDATE transport_messages SET visible_at = $now, lease_token = NULL, lease_owner = NULL WHERE id = $id AND lease_token = $token");
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var token = command.Parameters.Add("$token", SqliteType.Text);
        command.Parameters.AddWithValue("$now", nowMs);
        var released = 0;
        foreach (var message in messages)
        {
            id.Value = message.Id;
            token.Value = message.LeaseToken;
            released += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return released;
    }

    /// <summary>Pushes out the leases of rows this owner still holds (ids as a JSON array, one statement for all).</summary>
    public static async Task<int> RenewAsync(SqliteConnection connection, SqliteTransaction transaction, string leaseOwner, string idsJson,
        long leaseUntilMs, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            UPDATE transport_messages SET visible_at = $until
             WHERE lease_owner = $owner AND lease_token IS NOT NULL AND id IN (SELECT value FROM json_each($ids))
            """);
        command.Parameters.AddWithValue("$until", leaseUntilMs);
        command.Parameters.AddWithValue("$owner", leaseOwner);
        command.Parameters.AddWithValue("$ids", idsJson);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> DeleteExpiredAsync(SqliteConnection connection, SqliteTransaction transaction, long nowMs,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "DELETE FROM transport_messages WHERE expires_at IS NOT NULL AND expires_at <= $now");
        command.Parameters.AddWithValue("$now", nowMs);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<string>> LeaseOwnersAsync(SqliteConnection connection, SqliteTransaction? transaction, long nowMs,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT DISTINCT lease_owner FROM transport_messages WHERE lease_owner IS NOT NULL AND visible_at > $now");
        command.Parameters.AddWithValue("$now", nowMs);
        var owners = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            owners.Add(reader.GetString(0));
        }
        return owners;
    }

    /// <summary>Releases every lease of one owner at once; returns the queues that got messages back.</summary>
    public static async Task<List<string>> ReleaseOwnerAsync(SqliteConnection connection, SqliteTransaction transaction, string leaseOwner,
        long nowMs, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            UPDATE transport_messages SET visible_at = $now, lease_token = NULL, lease_owner = NULL
             WHERE lease_owner = $owner
            RETURNING queue
            """);
        command.Parameters.AddWithValue("$owner", leaseOwner);
        command.Parameters.AddWithValue("$now", nowMs);
        var queues = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            queues.Add(reader.GetString(0));
        }
        return queues;
    }

    public static async Task<int> PurgeAsync(SqliteConnection connection, SqliteTransaction transaction, string queue,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "DELETE FROM transport_messages WHERE queue = $queue");
        command.Parameters.AddWithValue("$queue", queue);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
