using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Router.Core.Endpoints;
using Router.Core.Failures;

namespace Router.Endpoints.RabbitMq;

/// <summary>A source message read: the inbound message, or why it cannot be one (with the id to journal it under).</summary>
internal sealed record AmqpReading(ulong DeliveryTag, InboundMessage? Message, string MessageId, string? ErrorCode, string? Error);

/// <summary>
/// Turns a source system's plain AMQP message (JSON body, not Rebus's format) into an <see cref="InboundMessage"/>:
/// <c>message_id</c>, <c>type</c>, <c>correlation_id</c> and <c>timestamp</c> from the AMQP properties, headers as text.
/// </summary>
internal static class AmqpInboundReader
{
    /// <summary>Reads a delivery while its body is still the client's (the callback's memory); the result keeps no reference to it.</summary>
    public static AmqpReading Read(string queue, ulong deliveryTag, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body,
        bool idFromExpression, long maxMessageSize)
    {
        var fallbackId = $"amqp:{queue}:{Convert.ToHexStringLower(SHA256.HashData(body.Span))[..32]}";
        var messageId = string.IsNullOrWhiteSpace(properties.MessageId) ? null : properties.MessageId;
        var journalId = messageId ?? fallbackId;
        var origin = $"queue {queue}, delivery {deliveryTag}{(messageId is null ? "" : $", message_id {messageId}")}";
        if (body.Length > maxMessageSize)
        {
            return Rejected(deliveryTag, journalId, ErrorCodes.MalformedInput, $"{origin}: {body.Length} bytes is more than the {maxMessageSize} allowed");
        }
        if (messageId is null && !idFromExpression)
        {
            return Rejected(deliveryTag, journalId, ErrorCodes.MalformedInput,
                $"{origin}: no message_id (set the AMQP message_id property at the source, or give the endpoint a messageId expression)");
        }
        JsonElement payload;
        try
        {
            using var document = JsonDocument.Parse(body);
            payload = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Rejected(deliveryTag, journalId, ErrorCodes.MalformedInput,
                $"{origin}: malformed JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
        var message = new InboundMessage
        {
            Payload = payload,
            MessageId = messageId,
            FallbackMessageId = fallbackId,
            Type = string.IsNullOrWhiteSpace(properties.Type) ? null : properties.Type,
            CorrelationId = string.IsNullOrWhiteSpace(properties.CorrelationId) ? null : properties.CorrelationId,
            OccurredAt = properties.IsTimestampPresent() && properties.Timestamp.UnixTime > 0
                ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime)
                : null,
            Headers = HeadersOf(properties),
            Origin = origin,
        };
        return new AmqpReading(deliveryTag, message, journalId, null, null);
    }

    private static AmqpReading Rejected(ulong deliveryTag, string messageId, string code, string error) =>
        new(deliveryTag, null, messageId, code, error);

    private static Dictionary<string, string> HeadersOf(IReadOnlyBasicProperties properties)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties.Headers ?? new Dictionary<string, object?>())
        {
            var text = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string s => s,
                AmqpTimestamp t => t.UnixTime.ToString(CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                // Tables and arrays (x-death and the like) have no faithful text form.
                IDictionary or IList or null => null,
                _ => value.ToString(),
            };
            if (text is not null)
            {
                headers[key] = text;
            }
        }
        return headers;
    }
}
