using Npgsql;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Storage.Sqlite;

namespace Router.Storage.Postgres;

/// <summary>How a <see cref="DeadLetter"/> is laid out in <c>state_dead_letters</c>; the status and stage words are SQLite's.</summary>
internal static class PostgresDeadLetterRows
{
    public const string Columns =
        "id, message_id, correlation_id, entity_key, message_type, route, stage, endpoint, error_kind, error_code, " +
        "error_message, error_details, attempts, first_failed_at, last_failed_at, fingerprint, status, envelope_json, " +
        "facts_json::text, replay_history_json::text";

    /// <summary>The statuses a re-failure reopens and ordering parks behind; worded like the partial indexes so the planner uses them.</summary>
    public const string OpenStatuses = "('pending', 'replayed')";

    public static string StatusText(DeadLetterStatus status) => SqliteDeadLetterRows.StatusText(status);

    public static string StageText(DeadLetterStage stage) => SqliteDeadLetterRows.StageText(stage);

    public static string StageTextOf(string? endpoint) => SqliteDeadLetterRows.StageTextOf(endpoint);

    public static DeadLetter Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        MessageId = reader.GetString(1),
        CorrelationId = reader.GetNullableString(2),
        EntityKey = reader.GetNullableString(3),
        MessageType = reader.GetNullableString(4),
        Route = reader.GetString(5),
        Stage = reader.GetString(6) switch
        {
            "route" => DeadLetterStage.Route,
            "delivery" => DeadLetterStage.Delivery,
            var other => throw new InvalidDataException($"unknown dead-letter stage '{other}' in the database"),
        },
        Endpoint = reader.GetNullableString(7),
        ErrorKind = reader.GetString(8),
        ErrorCode = reader.GetString(9),
        ErrorMessage = reader.GetString(10),
        ErrorDetails = reader.GetNullableString(11),
        Attempts = reader.GetInt32(12),
        FirstFailedAt = reader.GetTime(13),
        LastFailedAt = reader.GetTime(14),
        Fingerprint = reader.GetString(15),
        Status = reader.GetString(16) switch
        {
            "pending" => DeadLetterStatus.Pending,
            "replayed" => DeadLetterStatus.Replayed,
            "resolved" => DeadLetterStatus.Resolved,
            "archived" => DeadLetterStatus.Archived,
            var other => throw new InvalidDataException($"unknown dead-letter status '{other}' in the database"),
        },
        EnvelopeJson = reader.GetString(17),
        Facts = RouterJson.Deserialize<Dictionary<string, string>>(reader.GetString(18)),
        ReplayHistory = RouterJson.Deserialize<List<ReplayRecord>>(reader.GetString(19)),
    };
}
