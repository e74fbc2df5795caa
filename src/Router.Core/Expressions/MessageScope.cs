using System.Text.Json;
using Router.Core.Messages;

namespace Router.Core.Expressions;

/// <summary>What an expression can see: the payload as <c>$</c>, and the envelope's fields as <c>envelope</c> and <c>headers</c>.</summary>
public sealed class MessageScope
{
    private Jint.Engine? engineOfCache;
    private Jint.Native.JsValue? payloadCache;
    private Jint.Native.JsValue? envelopeCache;

    public MessageScope(JsonElement payload, Envelope? envelope = null)
    {
        Payload = payload;
        Envelope = envelope;
    }

    public JsonElement Payload { get; }

    public Envelope? Envelope { get; }

    public static MessageScope Of(Envelope envelope) => new(envelope.Payload, envelope);

    /// <summary>The payload and envelope as values of <paramref name="engine"/>; converted once per engine, not per expression.</summary>
    internal (Jint.Native.JsValue Payload, Jint.Native.JsValue Envelope) ValuesFor(Jint.Engine engine)
    {
        if (!ReferenceEquals(engine, engineOfCache))
        {
            var parser = new Jint.Native.Json.JsonParser(engine);
            payloadCache = Payload.ValueKind == JsonValueKind.Undefined
                ? Jint.Native.JsValue.Undefined
                : parser.Parse(Payload.GetRawText());
            envelopeCache = Envelope is null
                ? Jint.Native.JsValue.Undefined
                : parser.Parse(JsonSerializer.Serialize(new
                {
                    messageId = Envelope.MessageId,
                    type = Envelope.Type,
                    source = Envelope.Source,
                    entityKey = Envelope.EntityKey,
                    entityVersion = Envelope.EntityVersion,
                    correlationId = Envelope.CorrelationId,
                    causationId = Envelope.CausationId,
                    occurredAt = Envelope.OccurredAt,
                    headers = Envelope.Headers,
                }, RouterJson.Options));
            engineOfCache = engine;
        }
        return (payloadCache!, envelopeCache!);
    }
}
