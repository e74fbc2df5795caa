using System.Text.Json;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Support;

public static class TestMessages
{
    public static Envelope Envelope(string payloadJson, string type = MessageTypes.OrderCreated) => new()
    {
        MessageId = "msg-1",
        Type = type,
        Source = "platform-orders",
        EntityKey = "order:0",
        CorrelationId = "corr-1",
        CausationId = "cause-1",
        OccurredAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(3)),
        Headers = new Dictionary<string, string> { ["X-Source"] = "test" },
        Payload = RouterJson.ParseElement(payloadJson),
    };

    /// <summary>Compact JSON as the router writes it (Cyrillic unescaped), for exact comparisons.</summary>
    public static string Json(JsonElement element) => JsonSerializer.Serialize(element, RouterJson.Options);

    /// <summary>Normalises hand-written expected JSON to the same compact form.</summary>
    public static string Compact(string json) => Json(RouterJson.ParseElement(json));
}
