namespace Router.Core.Stores;

/// <summary>The steps a message's path is made of, as <c>router trace</c> shows them.</summary>
public static class JournalSteps
{
    public const string Received = "received";
    public const string Duplicate = "duplicate";
    public const string Stale = "stale";
    public const string Parked = "parked";
    public const string Unparked = "unparked";
    public const string Filtered = "filtered";
    public const string Transformed = "transformed";
    public const string Routed = "routed";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string RetryScheduled = "retry-scheduled";
    public const string Fallback = "fallback";
    public const string DeadLettered = "dead-lettered";
    public const string Replayed = "replayed";
    public const string Archived = "archived";
    public const string Rejected = "rejected";

    /// <summary>Both sides changed a field and the route's conflict strategy (or a person, at replay) settled it.</summary>
    public const string ConflictResolved = "conflict-resolved";

    /// <summary>The route had nothing new to send: the resolved version is what the destination was last sent.</summary>
    public const string Skipped = "skipped";

    /// <summary>A saga (the order saga) decided what to do about a message: its detail says what it did and why.</summary>
    public const string Saga = "saga";

    /// <summary>A full snapshot left out entities the previous one had: the route sent a deactivation for each.</summary>
    public const string Deactivated = "deactivated";
}

public sealed record JournalEntry
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string MessageId { get; init; }
    public string? CorrelationId { get; init; }
    public string? EntityKey { get; init; }
    public string? Route { get; init; }

    /// <summary>The delivery leg's endpoint id, or null for route-stage steps.</summary>
    public string? Endpoint { get; init; }

    public required string Step { get; init; }
    public string? Detail { get; init; }
    public double? DurationMs { get; init; }
}

public sealed record JournalCount(string? Route, string? Endpoint, string Step, long Count);

public interface IJournalStore
{
    Task AppendAsync(IReadOnlyCollection<JournalEntry> entries, CancellationToken cancellationToken);

    /// <summary>Every entry whose message id, correlation id or entity key equals <paramref name="id"/>, oldest first.</summary>
    Task<IReadOnlyList<JournalEntry>> TraceAsync(string id, int limit, CancellationToken cancellationToken);

    /// <summary>Entries written at or after <paramref name="since"/>, oldest first; only of <paramref name="step"/> when given.</summary>
    Task<IReadOnlyList<JournalEntry>> SinceAsync(DateTimeOffset since, string? step, int limit, CancellationToken cancellationToken);

    /// <summary>How many entries of each (route, endpoint, step) were written at or after <paramref name="since"/>: the <c>run --once</c> summary.</summary>
    Task<IReadOnlyList<JournalCount>> CountSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
