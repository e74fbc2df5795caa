using System.Text.Json;
using Jint;
using Jint.Native;
using Router.Core.Messages;

namespace Router.Core.Expressions;

/// <summary>
/// What an expression can see: the payload as <c>$</c>, the whole message's payload as <c>$root</c> (the same as
/// <c>$</c> unless the scope is <see cref="Nested"/>, as for the items of a map's <c>each</c>), and the envelope's
/// fields as <c>envelope</c> and <c>headers</c>. Safe to share between threads.
/// </summary>
public sealed class MessageScope
{
    private readonly MessageScope? root;

    // One engine's converted values at a time: replaced as a whole, so a reader never mixes two engines' values.
    private volatile ScriptValues? cache;

    public MessageScope(JsonElement payload, Envelope? envelope = null)
        : this(payload, envelope, null)
    {
    }

    private MessageScope(JsonElement payload, Envelope? envelope, MessageScope? root)
    {
        Payload = payload;
        Envelope = envelope;
        this.root = root;
    }

    /// <summary>What <c>$</c> is.</summary>
    public JsonElement Payload { get; }

    public Envelope? Envelope { get; }

    /// <summary>What <c>$root</c> is: the payload of the outermost scope.</summary>
    public JsonElement RootPayload => (root ?? this).Payload;

    public bool IsNested => root is not null;

    public static MessageScope Of(Envelope envelope) => new(envelope.Payload, envelope);

    /// <summary>A scope where <c>$</c> is <paramref name="item"/> and <c>$root</c> stays the whole message.</summary>
    public MessageScope Nested(JsonElement item) => new(item, Envelope, root ?? this);

    /// <summary>The bindings as values of <paramref name="engine"/>, converted once per engine, not per expression.</summary>
    internal ScriptValues ValuesFor(ExpressionEngine engine)
    {
        var values = cache;
        if (values is not null && ReferenceEquals(values.Engine, engine))
        {
            return values;
        }

        var payload = engine.Import(Payload);
        if (root is not null)
        {
            var outer = root.ValuesFor(engine);
            values = new ScriptValues(engine, payload, outer.Root, outer.Envelope, outer.Headers);
        }
        else
        {
            var envelope = Envelope is null ? JsValue.Undefined : engine.Import(EnvelopeJson(Envelope));
            var headers = envelope.IsUndefined() ? engine.EmptyObject : envelope.AsObject().Get("headers");
            values = new ScriptValues(engine, payload, payload, envelope, headers);
        }
        cache = values;
        return values;
    }

    private static string EnvelopeJson(Envelope envelope) =>
        JsonSerializer.Serialize(new
        {
            messageId = envelope.MessageId,
            type = envelope.Type,
            source = envelope.Source,
            entityKey = envelope.EntityKey,
            entityVersion = envelope.EntityVersion,
            correlationId = envelope.CorrelationId,
            causationId = envelope.CausationId,
            occurredAt = envelope.OccurredAt,
            headers = envelope.Headers,
            schemaVersion = envelope.SchemaVersion,
        }, RouterJson.Options);

    internal sealed record ScriptValues(ExpressionEngine Engine, JsValue Payload, JsValue Root, JsValue Envelope, JsValue Headers);
}
