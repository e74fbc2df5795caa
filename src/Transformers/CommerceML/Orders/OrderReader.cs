using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// The canonical order from an order.created payload. Number and lines are checked before deserializing so the
/// failure names the field plainly; other gaps surface as the serializer's message, which names the JSON path.
/// </summary>
internal static class OrderReader
{
    public static Order Read(Envelope input)
    {
        var payload = input.Payload;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw Violation(input, "the payload is not an order object");
        }
        if (!payload.TryGetProperty("number", out var number) || number.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(number.GetString()))
        {
            throw Violation(input, "the order has no 'number'");
        }
        if (!payload.TryGetProperty("lines", out var lines) || lines.ValueKind != JsonValueKind.Array || lines.GetArrayLength() == 0)
        {
            throw Violation(input, $"order {number.GetString()} has no 'lines': 1C rejects an order without goods");
        }
        try
        {
            return payload.Deserialize<Order>(RouterJson.Options)
                ?? throw Violation(input, "the payload is null");
        }
        catch (JsonException e)
        {
            throw new PermanentFailureException(ErrorCodes.SchemaViolation,
                $"{CommerceMLOrderTransformerFactory.TransformerName}: message {input.MessageId}: {e.Message}", e);
        }
    }

    private static PermanentFailureException Violation(Envelope input, string problem) =>
        new(ErrorCodes.SchemaViolation, $"{CommerceMLOrderTransformerFactory.TransformerName}: message {input.MessageId}: {problem}");
}
