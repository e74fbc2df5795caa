using Npgsql;
using NpgsqlTypes;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

/// <summary>How <see cref="JournalEntry"/> rows are written and read; the insert is on every message's commit.</summary>
internal static class PostgresJournalRows
{
    public const string Columns = "id, at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms";

    /// <summary>
    /// One statement for the whole batch (arrays unnested in order), so a message's journal rows cost one round trip
    /// however many there are, and identities follow the order written.
    /// </summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyCollection<JournalEntry> entries)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO state_journal (at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms) " +
            "SELECT at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms " +
            "FROM unnest(@at, @message_id, @correlation_id, @entity_key, @route, @endpoint, @step, @detail, @duration_ms) WITH ORDINALITY " +
            "AS e (at, message_id, correlation_id, entity_key, route, endpoint, step, detail, duration_ms, position) ORDER BY position");
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = entries.Select(e => e.At.ToUniversalTime()).ToArray(),
        });
        AddText(command, "message_id", entries.Select(e => (string?)e.MessageId));
        AddText(command, "correlation_id", entries.Select(e => e.CorrelationId));
        AddText(command, "entity_key", entries.Select(e => e.EntityKey));
        AddText(command, "route", entries.Select(e => e.Route));
        AddText(command, "endpoint", entries.Select(e => e.Endpoint));
        AddText(command, "step", entries.Select(e => (string?)e.Step));
        AddText(command, "detail", entries.Select(e => e.Detail));
        command.Parameters.Add(new NpgsqlParameter("duration_ms", NpgsqlDbType.Array | NpgsqlDbType.Double)
        {
            Value = entries.Select(e => e.DurationMs).ToArray(),
        });
        return command;
    }

    private static void AddText(NpgsqlBatchCommand command, string name, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    public static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JournalEntry
            {
                Id = reader.GetInt64(0),
                At = reader.GetTime(1),
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
