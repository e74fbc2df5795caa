using Microsoft.Data.Sqlite;
using Router.Core.Stores;

namespace Router.Storage.Sqlite;

/// <summary>How <see cref="JournalEntry"/> rows are written and read; the insert is on every message's commit.</summary>
internal static class SqliteJournalRows
{
    public const string Columns = "id, at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms";

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<JournalEntry> entries,
        CancellationToken cancellationToken)
    {
        await using var insert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_journal (at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms) " +
            "VALUES ($at, $message_id, $correlation_id, $entity_key, $route, $endpoint, $step, $detail, $duration_ms)");
        var at = insert.Declare("$at", SqliteType.Text);
        var messageId = insert.Declare("$message_id", SqliteType.Text);
        var correlationId = insert.Declare("$correlation_id", SqliteType.Text);
        var entityKey = insert.Declare("$entity_key", SqliteType.Text);
        var route = insert.Declare("$route", SqliteType.Text);
        var endpoint = insert.Declare("$endpoint", SqliteType.Text);
        var step = insert.Declare("$step", SqliteType.Text);
        var detail = insert.Declare("$detail", SqliteType.Text);
        var durationMs = insert.Declare("$duration_ms", SqliteType.Real);
        foreach (var entry in entries)
        {
            at.Bind(SqliteTime.ToText(entry.At));
            messageId.Bind(entry.MessageId);
            correlationId.Bind(entry.CorrelationId);
            entityKey.Bind(entry.EntityKey);
            route.Bind(entry.Route);
            endpoint.Bind(entry.Endpoint);
            step.Bind(entry.Step);
            detail.Bind(entry.Detail);
            durationMs.Bind(entry.DurationMs);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JournalEntry
            {
                Id = reader.GetInt64(0),
                At = SqliteTime.FromText(reader.GetString(1)),
                MessageId = reader.GetString(2),
                CorrelationId = reader.GetNullableString(3),
                EntityKey = reader.GetNullableString(4),
                Route = reader.GetNullableString(5),
                Endpoint = reader.GetNullableString(6),
                Step = reader.GetString(7),
                Detail = reader.GetNullableString(8),
                DurationMs = reader.IsDBNull(9) ? null : reader.GetDouble(9),
            });
        }
        return entries;
    }
}
