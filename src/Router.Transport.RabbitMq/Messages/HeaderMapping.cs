using System.Collections;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using Headers = Rebus.Messages.Headers;

namespace Router.Transport.RabbitMq.Messages;

/// <summary>
/// Rebus headers ⇄ AMQP basic properties. Message id, correlation id, content type and encoding, and message type
/// travel as their AMQP properties (so other AMQP tools see them); time-to-be-received also sets the AMQP expiration,
/// and the sent time the timestamp, but stay headers too (their text would not survive the round trip). Everything
/// else is an AMQP header with a UTF-8 value.
/// </summary>
internal static class HeaderMapping
{
    /// <summary>When a message stops being receivable (unix ms), for the receiver's own check: the broker only expires messages at the head of a queue, and not those already pushed to a consumer.</summary>
    public const string ExpiresAtHeader = "router-expires-at";

    /// <summary>Quorum queues count redeliveries in this header (absent on the first delivery).</summary>
    public const string QuorumDeliveryCountHeader = "x-delivery-count";

    // Added by RabbitMQ.Client to correlate returns with publishes, and by the broker when dead-lettering (deferral).
    private static readonly HashSet<string> BrokerOnlyHeaders = new(StringComparer.Ordinal)
    {
        "x-dotnet-pub-seq-no", "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
        "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", QuorumDeliveryCountHeader, ExpiresAtHeader,
        Deferral.DelayBuckets.Header,
    };

    // Receive-side facts that must not travel on: a dead-lettered or forwarded copy would otherwise look redelivered.
    private static readonly HashSet<string> NotSentHeaders = new(StringComparer.Ordinal)
    {
        Headers.DeliveryCount, QuorumDeliveryCountHeader, ExpiresAtHeader, Deferral.DelayBuckets.Header,
    };

    /// <summary>Error details can be long stack traces; AMQP headers share one frame (128 KB by default) with the rest.</summary>
    private const int MaxErrorDetailsLength = 16 * 1024;

    public static BasicProperties ToProperties(Dictionary<string, string> headers, long nowMs, long? expiresAtMs = null, bool setExpiration = true)
    {
        var properties = new BasicProperties
        {
            Persistent = !headers.ContainsKey(Headers.Express),
            Headers = new Dictionary<string, object?>(headers.Count),
        };
        foreach (var (key, value) in headers)
        {
            if (NotSentHeaders.Contains(key))
            {
                continue;
            }
            switch (key)
            {
                case Headers.MessageId:
                    properties.MessageId = value;
                    continue;
                case Headers.CorrelationId:
                    properties.CorrelationId = value;
                    continue;
                case Headers.ContentType:
                    properties.ContentType = value;
                    continue;
                case Headers.ContentEncoding:
                    properties.ContentEncoding = value;
                    continue;
                case Headers.Type:
                    properties.Type = value;
                    continue;
                case Headers.SentTime when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var sent):
                    properties.Timestamp = new AmqpTimestamp(sent.ToUnixTimeSeconds());
                    break;
                case Headers.TimeToBeReceived:
                    var ttl = ParseTimeToBeReceived(value);
                    expiresAtMs ??= nowMs + (long)ttl.TotalMilliseconds;
                    if (setExpiration)
                    {
                        properties.Expiration = ((long)ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                    }
                    break;
            }
            properties.Headers[key] = Encoding.UTF8.GetBytes(key == Headers.ErrorDetails ? Truncate(value, MaxErrorDetailsLength) : value);
        }
        if (expiresAtMs is { } expiresAt)
        {
            properties.Headers[ExpiresAtHeader] = expiresAt;
        }
        return properties;
    }

    /// <summary>The Rebus headers of a delivery; <paramref name="countsDeliveries"/> when it came from a quorum queue.</summary>
    public static Dictionary<string, string> ToHeaders(IReadOnlyBasicProperties properties, bool countsDeliveries, out long? expiresAtMs)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        expiresAtMs = null;
        long redeliveries = 0;
        if (properties.Headers is { } amqpHeaders)
        {
            foreach (var (key, value) in amqpHeaders)
            {
                if (key == QuorumDeliveryCountHeader)
                {
                    redeliveries = AsLong(value) ?? 0;
                    continue;
                }
                if (key == ExpiresAtHeader)
                {
                    expiresAtMs = AsLong(value);
                    continue;
                }
                if (BrokerOnlyHeaders.Contains(key) || ToText(value) is not { } text)
                {
                    continue;
                }
                headers[key] = text;
            }
        }
        SetFromProperty(headers, Headers.MessageId, properties.MessageId);
        SetFromProperty(headers, Headers.CorrelationId, properties.CorrelationId);
        SetFromProperty(headers, Headers.ContentType, properties.ContentType);
        SetFromProperty(headers, Headers.ContentEncoding, properties.ContentEncoding);
        SetFromProperty(headers, Headers.Type, properties.Type);
        if (countsDeliveries)
        {
            // x-delivery-count counts the redeliveries; Rebus counts deliveries, the first one included.
            headers[Headers.DeliveryCount] = (redeliveries + 1).ToString(CultureInfo.InvariantCulture);
        }
        return headers;
    }

    public static TimeSpan ParseTimeToBeReceived(string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var ttl) && ttl >= TimeSpan.Zero
            ? ttl
            : throw new FormatException($"the '{Headers.TimeToBeReceived}' header '{value}' is not a time span such as 00:05:00");

    private static void SetFromProperty(Dictionary<string, string> headers, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[key] = value;
        }
    }

    private static string? ToText(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        AmqpTimestamp timestamp => timestamp.UnixTime.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        // Tables and arrays (other systems' structured headers) have no faithful text form: left out.
        IDictionary or IList => null,
        _ => value.ToString(),
    };

    private static long? AsLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        byte[] bytes when long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Truncate(string value, int maxLength) =>
        value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength), " … (truncated)");
}
