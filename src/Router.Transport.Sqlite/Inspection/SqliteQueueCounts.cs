namespace Router.Transport.Sqlite.Inspection;

/// <summary>
/// What one queue holds at a moment. Every message is in exactly one bucket:
/// <see cref="Ready"/> — receivable now (never received, released, or its lease ran out);
/// <see cref="Leased"/> — received and not yet completed by a live lease (being handled or prefetched);
/// <see cref="Deferred"/> — not visible before <see cref="NextDueAt"/> or later (a deferral);
/// <see cref="Expired"/> — past its time-to-be-received: never received again, deleted by the periodic cleanup.
/// </summary>
public sealed record SqliteQueueCounts(string Queue, long Ready, long Leased, long Deferred, long Expired, DateTimeOffset? NextDueAt)
{
    /// <summary>No message to receive now and none in flight; deferred and expired ones do not count.</summary>
    public bool IsDrained => Ready == 0 && Leased == 0;

    public static SqliteQueueCounts Empty(string queue) => new(queue, 0, 0, 0, 0, null);
}
