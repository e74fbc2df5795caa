using Router.Transport.Sqlite.Database;
using Router.Transport.Sqlite.Messages;
using Router.Transport.Sqlite.Schema;

namespace Router.Transport.Sqlite.Inspection;

/// <summary>
/// Looks at and administers the transport's queues in a database without a bus: counts per queue (for
/// <c>router run --once</c>: "is every queue drained, when is the next deferred message due"), and purge.
/// </summary>
public sealed class SqliteQueues(SqliteDatabase database)
{
    private const string CountsSql = """
        SELECT queue,
               SUM(CASE WHEN visible_at <= $now AND (expires_at IS NULL OR expires_at > $now) THEN 1 ELSE 0 END),
               SUM(CASE WHEN visible_at > $now AND lease_token IS NOT NULL AND (expires_at IS NULL OR expires_at > $now) THEN 1 ELSE 0 END),
               SUM(CASE WHEN visible_at > $now AND lease_token IS NULL AND (expires_at IS NULL OR expires_at > $now) THEN 1 ELSE 0 END),
               SUM(CASE WHEN expires_at IS NOT NULL AND expires_at <= $now THEN 1 ELSE 0 END),
               MIN(CASE WHEN visible_at > $now AND lease_token IS NULL AND (expires_at IS NULL OR expires_at > $now) THEN visible_at END)
          FROM transport_messages
        """;

    /// <summary>Creates or upgrades the transport's tables; transports do this themselves when they initialize.</summary>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => TransportSchema.EnsureAsync(database, cancellationToken);

    public async Task<SqliteQueueCounts> GetCountsAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var counts = await ReadCountsAsync(" WHERE queue = $queue GROUP BY queue", queue, cancellationToken).ConfigureAwait(false);
        return counts.Count == 1 ? counts[0] : SqliteQueueCounts.Empty(queue);
    }

    /// <summary>Every queue that holds at least one message, by name.</summary>
    public Task<IReadOnlyList<SqliteQueueCounts>> GetAllCountsAsync(CancellationToken cancellationToken = default) =>
        ReadCountsAsync(" GROUP BY queue ORDER BY queue", null, cancellationToken);

    /// <summary>
    /// Deletes every message of the queue, including leased ones (their receivers' commits then fail with
    /// <see cref="SqliteLeaseLostException"/> and write nothing). Returns how many were deleted.
    /// </summary>
    public async Task<int> PurgeAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return await database.ExecuteWriteAsync((connection, transaction, ct) => MessageTable.PurgeAsync(connection, transaction, queue, ct),
            durable: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<SqliteQueueCounts>> ReadCountsAsync(string filter, string? queue, CancellationToken cancellationToken)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return await database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = CountsSql + filter;
            command.Parameters.AddWithValue("$now", nowMs);
            if (queue is not null)
            {
                command.Parameters.AddWithValue("$queue", queue);
            }
            var counts = new List<SqliteQueueCounts>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                counts.Add(new SqliteQueueCounts(
                    Queue: reader.GetString(0),
                    Ready: reader.GetInt64(1),
                    Leased: reader.GetInt64(2),
                    Deferred: reader.GetInt64(3),
                    Expired: reader.GetInt64(4),
                    NextDueAt: reader.IsDBNull(5) ? null : UnixTime.ToDateTimeOffset(reader.GetInt64(5))));
            }
            return (IReadOnlyList<SqliteQueueCounts>)counts;
        }, cancellationToken).ConfigureAwait(false);
    }
}
