namespace Router.Core.Stores;

/// <summary>
/// Every state write one handled message causes. It is committed atomically with the message itself: on the
/// embedded default inside the SQLite transport's own transaction (the transactional outbox), elsewhere right
/// after the transport's sends and before the acknowledgement, so a crash repeats work but never loses it.
/// </summary>
public sealed class StateChanges
{
    /// <summary>
    /// Dead letters to move from pending to replayed, committed with the re-sent message so neither happens without the
    /// other; committing fails with <see cref="ReplayClaimLostException"/> if one is no longer pending.
    /// </summary>
    public List<ReplayClaim> ReplayClaims { get; } = [];

    public List<InboxEntry> InboxEntries { get; } = [];

    public List<JournalEntry> Journal { get; } = [];

    /// <summary>New dead letters. An open (pending or replayed) dead letter for the same message and leg is updated instead: attempts +1.</summary>
    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>Dead letters whose replayed message has now gone through.</summary>
    public List<DeadLetterResolution> ResolvedDeadLetters { get; } = [];

    /// <summary>Versions to record; committing fails with <see cref="StaleVersionException"/> if a newer one was applied meanwhile.</summary>
    public List<EntityVersionUpdate> EntityVersions { get; } = [];

    /// <summary>Snapshots to replace; committing fails with <see cref="SnapshotRevisionException"/> if one changed since it was read.</summary>
    public List<EntitySnapshotUpdate> EntitySnapshots { get; } = [];

    public List<ParkedMessage> Parked { get; } = [];

    /// <summary>Ids of parked messages that were sent back to their route in this same transaction.</summary>
    public List<long> Unparked { get; } = [];

    public bool IsEmpty =>
        ReplayClaims.Count == 0 && InboxEntries.Count == 0 && Journal.Count == 0 && DeadLetters.Count == 0 && ResolvedDeadLetters.Count == 0 &&
        EntityVersions.Count == 0 && EntitySnapshots.Count == 0 && Parked.Count == 0 && Unparked.Count == 0;
}

/// <summary>Resolve the open dead letter of this message on this leg (route stage when <see cref="Endpoint"/> is null).</summary>
/// <summary>Claim pending dead letter <see cref="DeadLetterId"/> for a replay and add <see cref="Replay"/> to its history.</summary>
public sealed record ReplayClaim(long DeadLetterId, ReplayRecord Replay);

public sealed record DeadLetterResolution(string MessageId, string Route, string? Endpoint);

public sealed record EntityVersionUpdate(string Scope, string EntityKey, long Version);

/// <summary>Thrown at commit when another message applied a newer version of the entity first; the message is retried and then found stale.</summary>
public sealed class StaleVersionException(string scope, string entityKey, long version)
    : Exception($"version {version} of '{entityKey}' in '{scope}' is not newer than the one already applied")
{
    public string Scope { get; } = scope;
    public string EntityKey { get; } = entityKey;
    public long Version { get; } = version;
}

/// <summary>
/// Thrown at commit when the dead letter is no longer pending (another admin replayed it first, it was resolved or
/// archived) or does not exist. The whole commit rolls back, so the replayed message is not sent either.
/// </summary>
public sealed class ReplayClaimLostException(long deadLetterId)
    : Exception($"dead letter {deadLetterId} is no longer pending (replayed, resolved or archived meanwhile) or does not exist")
{
    public long DeadLetterId { get; } = deadLetterId;
}

/// <summary>Commits <see cref="StateChanges"/> on their own (outside a transport transaction): CLI commands, tests, non-SQLite transports.</summary>
public interface IStateWriter
{
    Task CommitAsync(StateChanges changes, CancellationToken cancellationToken);
}

/// <summary>The router's state, as one object per storage (SQLite file or PostgreSQL database).</summary>
public interface IRouterState : IAsyncDisposable
{
    IInboxStore Inbox { get; }
    IJournalStore Journal { get; }
    IDeadLetterStore DeadLetters { get; }
    IEntityVersionStore EntityVersions { get; }
    IEntitySnapshotStore EntitySnapshots { get; }
    IPartnerRecordStore PartnerRecords { get; }
    IParkingStore Parking { get; }
    IStateWriter Writer { get; }

    /// <summary>Creates or upgrades the schema (versioned migrations). Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
