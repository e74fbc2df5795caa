using Npgsql;
using NpgsqlTypes;

namespace Router.Transport.PostgreSql;

/// <summary>A queue's numbers: due (ready or being handled right now) and deferred (not visible yet).</summary>
public sealed record QueueCount(string Queue, long Due, long Deferred);

/// <summary>
/// The table Rebus.PostgreSql's transport keeps every queue in. Created here rather than by Rebus.PostgreSql, under an
/// advisory lock so hosts starting at once do not race, and with one index more: its receive deletes by
/// <c>id</c>, which is only third in the primary key, so without an index of its own every receive scans the queue.
/// </summary>
public sealed class PostgreSqlQueueTable(NpgsqlDataSource dataSource, string schema, string table)
{
    /// <summary>"router-queues" as bytes; taken for the length of the creating transaction only.</summary>
    private const long CreateLockKey = 0x726f757465722d71;

    public string QualifiedName { get; } = $"\"{schema}\".\"{table}\"";

    /// <summary>Creates the schema, table and indexes if missing, with the columns Rebus.PostgreSql 9 expects.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
                         $"""
                          SELECT pg_advisory_xact_lock({CreateLockKey});
                          CREATE SCHEMA IF NOT EXISTS "{schema}";
                          CREATE TABLE IF NOT EXISTS {QualifiedName} (
                              id serial NOT NULL,
                              recipient text NOT NULL,
                              priority int NOT NULL,
                              expiration timestamp with time zone NOT NULL,
                              visible timestamp with time zone NOT NULL,
                              headers bytea NOT NULL,
                              body bytea NOT NULL,
                              PRIMARY KEY (recipient, priority, id));
                          CREATE INDEX IF NOT EXISTS "idx_receive_{table}" ON {QualifiedName} (recipient ASC, expiration ASC, visible ASC);
                          CREATE INDEX IF NOT EXISTS "idx_dequeue_{table}" ON {QualifiedName} (priority DESC, visible ASC, id ASC);
                          CREATE INDEX IF NOT EXISTS "idx_expiration_{table}" ON {QualifiedName} (expiration);
                          CREATE UNIQUE INDEX IF NOT EXISTS "idx_id_{table}" ON {QualifiedName} (id);
                          """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Unexpired messages per queue. A message being handled is still counted as due: its receive deleted it in a
    /// transaction that has not committed, and other sessions still see the row.
    /// </summary>
    public async Task<IReadOnlyList<QueueCount>> CountAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT recipient, count(*) FILTER (WHERE visible <= now()), count(*) FILTER (WHERE visible > now()) FROM {QualifiedName} " +
            "WHERE recipient = ANY(@queues) AND expiration > now() GROUP BY recipient", connection);
        command.Parameters.Add(new NpgsqlParameter("queues", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = queues.ToArray() });
        var counts = new List<QueueCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new QueueCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        return counts;
    }
}
