using System.Text.Json;
using Router.Core.Messages;

namespace Router.Endpoints.OrderSaga;

/// <summary>Which order a message is about: the entity key <c>order:N</c>, else the payload's orderNumber (events) or number (orders).</summary>
public static class OrderNumbers
{
    private const string KeyPrefix = "order:";

    public static string? Of(Envelope envelope)
    {
        if (envelope.EntityKey is { } key && key.StartsWith(KeyPrefix, StringComparison.Ordinal) && key.Length > KeyPrefix.Length)
        {
            return key[KeyPrefix.Length..];
        }
        if (envelope.Payload.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "orderNumber", "number" })
            {
                if (envelope.Payload.TryGetProperty(name, out var value))
                {
                    var text = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number => value.GetRawText(),
                        _ => null,
                    };
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        return text.Trim();
                    }
                }
            }
        }
        return null;
    }
}
