namespace Router.Core.Stores;

public enum DeadLetterStatus
{
    /// <summary>Waiting for a human: list, show, replay or archive it.</summary>
    Pending,

    /// <summary>Sent back to its queue; resolved when that attempt succeeds, pending again if it fails.</summary>
    Replayed,

    /// <summary>The replayed message went through.</summary>
    Resolved,

    /// <summary>Put aside by <c>dlq delete</c>; kept for the record.</summary>
    Archived,
}

/// <summary>Which queue message a dead letter came from, so a replay re-sends exactly that leg.</summary>
public enum DeadLetterStage
{
    /// <summary>Failed in a route's stage (inbox, ordering, transform, routing): replay re-runs the route.</summary>
    Route,

    /// <summary>Failed delivering to one endpoint: replay re-delivers only that leg.</summary>
    Delivery,
}

public sealed record ReplayRecord(DateTimeOffset At, string By, string? Note);

public sealed record DeadLetter
{
    public long Id { get; init; }
    public required string MessageId { get; init; }
    public string? CorrelationId { get; init; }
    public string? EntityKey { get; init; }
    public string? MessageType { get; init; }
    public required string Route { get; init; }
    public required DeadLetterStage Stage { get; init; }

    /// <summary>The endpoint of a delivery leg; null for the route stage.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Transient (retries exhausted) or permanent.</summary>
    public required string ErrorKind { get; init; }

    /// <summary>A short code for grouping: http-503, idempotency-conflict, schema-violation…</summary>
    public required string ErrorCode { get; init; }

    public required string ErrorMessage { get; init; }
    public string? ErrorDetails { get; init; }
    public int Attempts { get; init; } = 1;
    public required DateTimeOffset FirstFailedAt { get; init; }
    public required DateTimeOffset LastFailedAt { get; init; }

    /// <summary>Groups dead letters with the same cause; see <see cref="DeadLetterFingerprint"/>.</summary>
    public required string Fingerprint { get; init; }

    public DeadLetterStatus Status { get; init; } = DeadLetterStatus.Pending;

    /// <summary>The envelope as it was when it failed, as JSON (secrets never enter envelopes).</summary>
    public required string EnvelopeJson { get; init; }

    /// <summary>Extra facts for <c>dlq show</c>: both payload hashes of an idempotency conflict, HTTP status and body…</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ReplayRecord> ReplayHistory { get; init; } = [];
}

public sealed record DeadLetterQuery
{
    public string? Route { get; init; }
    public string? Endpoint { get; init; }

    /// <summary>Case-insensitive substring of the error message or code.</summary>
    public string? ErrorText { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>Defaults to pending only; empty means every status.</summary>
    public IReadOnlyCollection<DeadLetterStatus> Statuses { get; init; } = [DeadLetterStatus.Pending];

    public IReadOnlyCollection<long>? Ids { get; init; }
    public int Limit { get; init; } = 1000;
}

public sealed record DeadLetterGroup(string Fingerprint, string Route, string? Endpoint, string ErrorCode, string SampleMessage,
    int Count, DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt);

public interface IDeadLetterStore
{
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken);

    Task<int> ArchiveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>True while the entity has a pending or replayed (not yet resolved) dead letter on this route; later messages park.</summary>
    Task<bool> HasOpenForEntityAsync(string route, string entityKey, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="HasOpenForEntityAsync(string, string, CancellationToken)"/>, not counting the dead letter that
    /// <paramref name="except"/> resolves in the transaction being built (it still reads as open until that commits).
    /// </summary>
    Task<bool> HasOpenForEntityAsync(string route, string entityKey, DeadLetterResolution except, CancellationToken cancellationToken);
}
