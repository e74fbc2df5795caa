using Microsoft.Data.Sqlite;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Storage.Sqlite;

/// <summary>How a <see cref="DeadLetter"/> is laid out in <c>state_dead_letters</c>; shared by the store and the state writer.</summary>
internal static class SqliteDeadLetterRows
{
    public const string Columns =
        "id, message_id, correlation_id, entity_key, message_type, route, stage, endpoint, error_kind, error_code, " +
        "error_message, error_details, attempts, first_failed_at, last_failed_at, fingerprint, status, envelope_json, " +
        "facts_json, replay_history_json";

    /// <summary>The statuses that still need a human or a replay outcome: the ones a re-failure reopens and ordering parks behind.</summary>
    public const string OpenStatuses = "('pending', 'replayed')";

    public static string StatusText(DeadLetterStatus status) => status switch
    {
        DeadLetterStatus.Pending => "pending",
        DeadLetterStatus.Replayed => "replayed",
        DeadLetterStatus.Resolved => "resolved",
        DeadLetterStatus.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string StageText(DeadLetterStage stage) => stage switch
    {
        DeadLetterStage.Route => "route",
        DeadLetterStage.Delivery => "delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>A resolution names its leg by endpoint only: none is the route stage.</summary>
    public static string StageTextOf(string? endpoint) => StageText(endpoint is null ? DeadLetterStage.Route : DeadLetterStage.Delivery);

    public static string FactsJson(IReadOnlyDictionary<string, string> facts) => RouterJson.Serialize(facts);

    public static string HistoryJson(IReadOnlyList<ReplayRecord> history) => RouterJson.Serialize(history);

    public static List<ReplayRecord> ParseHistory(string json) => RouterJson.Deserialize<List<ReplayRecord>>(json);

    public static DeadLetter Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        MessageId = reader.GetString(1),
        CorrelationId = reader.GetNullableString(2),
        EntityKey = reader.GetNullableString(3),
        MessageType = reader.GetNullableString(4),
        Route = reader.GetString(5),
        Stage = ParseStage(reader.GetString(6)),
        Endpoint = reader.GetNullableString(7),
        ErrorKind = reader.GetString(8),
        ErrorCode = reader.GetString(9),
        ErrorMessage = reader.GetString(10),
        ErrorDetails = reader.GetNullableString(11),
        Attempts = reader.GetInt32(12),
        FirstFailedAt = SqliteTime.FromText(reader.GetString(13)),
        LastFailedAt = SqliteTime.FromText(reader.GetString(14)),
        Fingerprint = reader.GetString(15),
        Status = ParseStatus(reader.GetString(16)),
        EnvelopeJson = reader.GetString(17),
        Facts = RouterJson.Deserialize<Dictionary<string, string>>(reader.GetString(18)),
        ReplayHistory = ParseHistory(reader.GetString(19)),
    };

    private static DeadLetterStatus ParseStatus(string text) => text switch
    {
        "pending" => DeadLetterStatus.Pending,
        "replayed" => DeadLetterStatus.Replayed,
        "resolved" => DeadLetterStatus.Resolved,
        "archived" => DeadLetterStatus.Archived,
        _ => throw new InvalidDataException($"unknown dead-letter status '{text}' in the database"),
    };

    private static DeadLetterStage ParseStage(string text) => text switch
    {
        "route" => DeadLetterStage.Route,
        "delivery" => DeadLetterStage.Delivery,
        _ => throw new InvalidDataException($"unknown dead-letter stage '{text}' in the database"),
    };
}
