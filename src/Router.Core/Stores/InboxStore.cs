namespace Router.Core.Stores;

/// <summary>First sight of a message id within a scope (a route, or a delivery leg), with the hash of what it carried.</summary>
public sealed record InboxEntry(string Scope, string MessageId, string PayloadHash, DateTimeOffset FirstSeenAt);

public enum InboxVerdict
{
    /// <summary>Never seen in this scope: process it.</summary>
    New,

    /// <summary>Seen with the same payload hash: acknowledge and skip.</summary>
    Duplicate,

    /// <summary>Seen with another payload hash: a permanent idempotency conflict, never processed.</summary>
    Conflict,
}

public interface IInboxStore
{
    Task<InboxEntry?> FindAsync(string scope, string messageId, CancellationToken cancellationToken);
}

public static class InboxStoreExtensions
{
    public static async Task<(InboxVerdict Verdict, InboxEntry? Existing)> CheckAsync(
        this IInboxStore inbox, string scope, string messageId, string payloadHash, CancellationToken cancellationToken)
    {
        var existing = await inbox.FindAsync(scope, messageId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return (InboxVerdict.New, null);
        }
        return (existing.PayloadHash == payloadHash ? InboxVerdict.Duplicate : InboxVerdict.Conflict, existing);
    }
}
