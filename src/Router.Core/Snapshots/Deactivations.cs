using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Core.Snapshots;

/// <summary>
/// The envelope that tells destinations an entity left the full snapshot. Its id derives from the snapshot message's
/// id and the key, so a redelivery of the same file produces the same ids and the destinations' inboxes dedupe them.
/// </summary>
public static class Deactivations
{
    public static string MessageId(string snapshotMessageId, string key) => $"{snapshotMessageId}#deactivated:{key}";

    /// <summary>
    /// A deactivation of <paramref name="key"/> shaped like <paramref name="item"/> (an envelope of the same snapshot):
    /// same type, headers and correlation. Only types with a canonical "inactive" form can be deactivated.
    /// </summary>
    public static Envelope For(Envelope snapshot, Envelope item, string key)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(item);
        var (entityKey, payload) = item.Type switch
        {
            // Only the id is known of a product 1C dropped: the name is required, and the id is the best there is.
            MessageTypes.CatalogProduct => ("product:" + key, RouterJson.ToElement(new Product { Id = key, Name = key, Active = false })),
            _ => throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
                $"fullSnapshot cannot deactivate '{key}': '{item.Type}' has no inactive form (only {MessageTypes.CatalogProduct} has)"),
        };
        return item with
        {
            MessageId = MessageId(snapshot.MessageId, key),
            EntityKey = entityKey,
            EntityVersion = null,
            CorrelationId = item.CorrelationId ?? snapshot.CorrelationId,
            CausationId = snapshot.MessageId,
            Payload = payload,
        };
    }
}
