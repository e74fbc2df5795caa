using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Conflicts;

/// <summary>What the conflict gate decided for one message of a route with <c>conflicts:</c>.</summary>
public abstract record ConflictOutcome;

/// <summary>
/// Every entity of the message is settled: <see cref="Outputs"/> are the resolved envelopes to deliver (those with
/// nothing new for the destination left out), with the journal rows and snapshot writes that go with them.
/// </summary>
public sealed record ConflictsSettled(IReadOnlyList<Envelope> Outputs, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<EntitySnapshotUpdate> Snapshots)
    : ConflictOutcome;

/// <summary>An entity of the message has an open dead letter on a route of the same entity: the message waits behind it.</summary>
public sealed record HeldByOpenDeadLetter(string EntityKey) : ConflictOutcome;

/// <summary>
/// A conflict needs a person: the message becomes a <c>conflict</c> dead letter. <see cref="Snapshots"/> move the
/// entities' revisions on, so a message about them racing this one retries and then finds itself held.
/// </summary>
public sealed record NeedsReview(ConflictReport Report, IReadOnlyList<EntitySnapshotUpdate> Snapshots) : ConflictOutcome
{
    /// <summary>The entity the dead letter holds (parks behind): the first under review.</summary>
    public string EntityKey => Report.Cases[0].EntityKey;
}
