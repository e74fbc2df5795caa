using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Core.Messages;

/// <summary>
/// Carries every message through the router. <see cref="MessageId"/> is stable across retries and replays,
/// which is what the inbox and every outbound idempotency key are derived from.
/// </summary>
public sealed record Envelope
{
    public const int CurrentSchemaVersion = 1;

    public required string MessageId { get; init; }

    /// <summary>Canonical type, e.g. <c>order.created</c>; see <see cref="MessageTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Id of the endpoint the message came from.</summary>
    public required string Source { get; init; }

    /// <summary>The business entity the message is about, e.g. <c>order:1001</c>.</summary>
    public string? EntityKey { get; init; }

    public long? EntityVersion { get; init; }

    public string? CorrelationId { get; init; }

    public string? CausationId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyHeaders;

    /// <summary>Canonical JSON. Immutable: transformers return new envelopes.</summary>
    public JsonElement Payload { get; init; }

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    [JsonIgnore]
    public string EffectiveCorrelationId => CorrelationId ?? MessageId;

    public Envelope WithHeader(string name, string value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.Ordinal) { [name] = value };
        return this with { Headers = headers };
    }

    public static readonly IReadOnlyDictionary<string, string> EmptyHeaders =
        new Dictionary<string, string>(StringComparer.Ordinal);
}
