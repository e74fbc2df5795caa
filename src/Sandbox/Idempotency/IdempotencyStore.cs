namespace Router.Sandbox.Idempotency;

public enum IdempotencyClaimKind
{
    /// <summary>First use of the key: handle the request, then <see cref="IdempotencyStore.Complete"/> or <see cref="IdempotencyStore.Release"/>.</summary>
    New,

    /// <summary>Same key, same request: answer <see cref="IdempotencyClaim.Stored"/> again.</summary>
    Replay,

    /// <summary>Same key, different request: the client reused a key by mistake.</summary>
    Mismatch,

    /// <summary>Same key while the first request is still being handled.</summary>
    InProgress,
}

public sealed record IdempotencyClaim(IdempotencyClaimKind Kind, StoredResponse? Stored = null);

/// <summary>
/// Server-side idempotency as well-behaved APIs do it: the first answer for a key is kept and replayed for the same
/// request; the same key with a different request is refused; server errors are not kept, so a retry runs again.
/// </summary>
public sealed class IdempotencyStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Slot> slots = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private readonly TimeSpan? retention;

    /// <param name="retention">How long a key is remembered (YooKassa: 24 hours); after that its reuse is a new request. Null keeps keys until reset.</param>
    public IdempotencyStore(TimeProvider? clock = null, TimeSpan? retention = null)
    {
        this.clock = clock ?? TimeProvider.System;
        this.retention = retention;
    }

    /// <param name="fingerprint">Identifies the request (method, path, body hash): what "the same request" means.</param>
    public IdempotencyClaim Claim(string key, string fingerprint)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (!slots.TryGetValue(key, out var slot) || (retention is { } keep && now - slot.FirstSeen >= keep))
            {
                slots[key] = new Slot(fingerprint, null, now);
                return new IdempotencyClaim(IdempotencyClaimKind.New);
            }
            if (slot.Fingerprint != fingerprint)
            {
                return new IdempotencyClaim(IdempotencyClaimKind.Mismatch);
            }
            return slot.Response is null
                ? new IdempotencyClaim(IdempotencyClaimKind.InProgress)
                : new IdempotencyClaim(IdempotencyClaimKind.Replay, slot.Response);
        }
    }

    public void Complete(string key, StoredResponse response)
    {
        lock (gate)
        {
            if (slots.TryGetValue(key, out var slot))
            {
                slots[key] = slot with { Response = response };
            }
        }
    }

    /// <summary>Forgets a claimed key whose request failed on the server side, so a retry is handled afresh.</summary>
    public void Release(string key)
    {
        lock (gate)
        {
            slots.Remove(key);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            slots.Clear();
        }
    }

    private sealed record Slot(string Fingerprint, StoredResponse? Response, DateTimeOffset FirstSeen);
}
