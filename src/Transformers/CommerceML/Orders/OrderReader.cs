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
        Order order;
        try
        {
            order = payload.Deserialize<Order>(RouterJson.Options)
                ?? throw Violation(input, "the payload is null");
        }
        catch (JsonException e)
        {
            throw new PermanentFailureException(ErrorCodes.SchemaViolation,
                $"{CommerceMLOrderTransformerFactory.TransformerName}: message {input.MessageId}: {e.Message}", e);
        }
        return Completed(input, order);
    }

    /// <summary>
    /// The serializer leaves absent money as null even where the model says it is always there; 1C needs the total
    /// and each line's price and sum, and reads a missing goods, delivery or discount sum as nothing of it.
    /// </summary>
    private static Order Completed(Envelope input, Order order)
    {
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            if (line.UnitPrice is null || line.Total is null)
            {
                throw Violation(input, $"order {order.Number}: lines[{i}] has no '{(line.UnitPrice is null ? "unitPrice" : "total")}'");
            }
        }
        var totals = order.Totals ?? throw Violation(input, $"order {order.Number} has no 'totals'");
        var total = totals.Total ?? throw Violation(input, $"order {order.Number} has no 'totals.total'");
        var none = new Money(0, total.Currency);
        return order with
        {
            Totals = totals with
            {
                Goods = totals.Goods ?? new Money(order.Lines.Sum(l => l.Total.Amount), total.Currency),
                Delivery = totals.Delivery ?? none,
                Discount = totals.Discount ?? none,
            },
        };
    }

    private static PermanentFailureException Violation(Envelope input, string problem) =>
        new(ErrorCodes.SchemaViolation, $"{CommerceMLOrderTransformerFactory.TransformerName}: message {input.MessageId}: {problem}");
}
