using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.Orders;

/// <summary>Reads the canonical payload a transformer was given, with an error that names the transformer and the message.</summary>
public static class OrderInput
{
    public static T Read<T>(Envelope input, string transformer)
    {
        try
        {
            return input.Payload.Deserialize<T>(RouterJson.Options)
                ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{transformer}: message {input.MessageId} has no payload");
        }
        catch (JsonException e)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"{transformer}: message {input.MessageId} is not a canonical {typeof(T).Name}: {e.Message}" + (e.Path is { } path ? $" (at {path})" : ""), e);
        }
    }

    public static void RequireType(Envelope input, string transformer, params string[] types)
    {
        if (!types.Contains(input.Type, StringComparer.Ordinal))
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"{transformer} takes {string.Join(" or ", types)}, not {input.Type} (message {input.MessageId})");
        }
    }

    /// <summary>The entity key every order-related message shares, so <c>router trace order:N</c> finds them all.</summary>
    public static string EntityKey(string orderNumber) => "order:" + orderNumber;

    /// <summary>
    /// The envelope of a command derived from an order: its id is the order and what it asks for
    /// (<c>order:1001/payment</c>), the same whoever builds it (a route's transformer or the saga), so a repeat is an
    /// inbox duplicate downstream and the partner's idempotency key stays the same.
    /// </summary>
    public static Envelope Command<T>(Envelope cause, string orderNumber, string leg, string type, T payload) => new()
    {
        MessageId = $"{EntityKey(orderNumber)}/{leg}",
        Type = type,
        Source = cause.Source,
        EntityKey = EntityKey(orderNumber),
        CorrelationId = cause.EffectiveCorrelationId,
        CausationId = cause.MessageId,
        OccurredAt = cause.OccurredAt,
        Headers = cause.Headers,
        Payload = RouterJson.ToElement(payload),
    };
}
