namespace Router.Core.Stores;

/// <summary>
/// Another copy of the message recorded its inbox entry first (two consumers, or a redelivery racing the
/// original). Thrown at commit so the whole transaction rolls back; the retry then finds a duplicate.
/// </summary>
public sealed class InboxRaceException(string scope, string messageId)
    : Exception($"message '{messageId}' was recorded in the inbox of '{scope}' by a concurrent commit; a retry will see it as a duplicate")
{
    public string Scope { get; } = scope;
    public string MessageId { get; } = messageId;
}
