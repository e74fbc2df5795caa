namespace Router.Core.Stores;

/// <summary>
/// One JSON document per (scope, entity key) with a revision: what conflict detection knows of an entity (its agreed
/// version and each side's recent history). The store keeps the document opaque; Core reads and writes it.
/// </summary>
public sealed record EntitySnapshot(string Scope, string EntityKey, long Revision, string DocumentJson, DateTimeOffset UpdatedAt);

/// <summary>
/// Replace the document of (<see cref="Scope"/>, <see cref="EntityKey"/>) if its revision is still
/// <see cref="ExpectedRevision"/> (0: there is none yet); the stored revision becomes <c>ExpectedRevision + 1</c>.
/// </summary>
public sealed record EntitySnapshotUpdate(string Scope, string EntityKey, long ExpectedRevision, string DocumentJson, DateTimeOffset At);

public interface IEntitySnapshotStore
{
    Task<EntitySnapshot?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken);
}

/// <summary>
/// Thrown at commit when another message changed the entity's snapshot since it was read (two messages about one
/// customer at once). The whole commit rolls back; the retry reads the new snapshot and decides again.
/// </summary>
public sealed class SnapshotRevisionException(string scope, string entityKey, long expectedRevision)
    : Exception($"the snapshot of '{entityKey}' in '{scope}' is no longer at revision {expectedRevision}; another message changed it first")
{
    public string Scope { get; } = scope;
    public string EntityKey { get; } = entityKey;
    public long ExpectedRevision { get; } = expectedRevision;
}
