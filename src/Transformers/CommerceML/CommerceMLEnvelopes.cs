using Router.Core.Messages;

namespace Router.Transformers.CommerceML;

/// <summary>
/// Builds the per-item envelopes a file is split into. Ids derive from the file's message id and the 1C Ид, so
/// re-reading the same file yields the same message ids and the inbox deduplicates them.
/// </summary>
internal static class CommerceMLEnvelopes
{
    public static Envelope Item<T>(Envelope file, string type, string entityPrefix, string itemId, T payload) =>
        file with
        {
            MessageId = $"{file.MessageId}#{itemId}",
            Type = type,
            EntityKey = $"{entityPrefix}:{itemId}",
            EntityVersion = null,
            CorrelationId = file.CorrelationId,
            CausationId = file.MessageId,
            Payload = RouterJson.ToElement(payload),
        };
}
