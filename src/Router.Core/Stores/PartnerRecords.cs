using System.Collections.Concurrent;

namespace Router.Core.Stores;

/// <summary>
/// A record an endpoint keeps about one of its side effects, keyed by (endpoint, key): an SMS claimed before it is
/// sent, a CDEK order to poll until it is final. Written on its own short commit, not with a message, because a
/// claim must be durable before the side effect it guards.
/// </summary>
/// <param name="Status">The endpoint's own word: claimed, sent, unknown, tracking, final…</param>
/// <param name="DataJson">Whatever the endpoint needs later (the carrier's order id, the last status seen).</param>
/// <param name="DueAt">When a poller should look at it next; null when nothing is due.</param>
public sealed record PartnerRecord(string Endpoint, string Key, string Status, string DataJson, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt = null);

public interface IPartnerRecordStore
{
    Task<PartnerRecord?> GetAsync(string endpoint, string key, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="record"/> unless one exists for its (endpoint, key): returns null when inserted, else the existing one (the claim was lost).</summary>
    Task<PartnerRecord?> TryInsertAsync(PartnerRecord record, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces.</summary>
    Task UpsertAsync(PartnerRecord record, CancellationToken cancellationToken);

    /// <summary>Records of <paramref name="endpoint"/> whose <see cref="PartnerRecord.DueAt"/> is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<PartnerRecord>> ListDueAsync(string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>For tests and the in-memory transport; forgets everything on restart.</summary>
public sealed class InMemoryPartnerRecordStore : IPartnerRecordStore
{
    private readonly ConcurrentDictionary<(string Endpoint, string Key), PartnerRecord> records = new();

    public Task<PartnerRecord?> GetAsync(string endpoint, string key, CancellationToken cancellationToken) =>
        Task.FromResult(records.GetValueOrDefault((endpoint, key)));

    public Task<PartnerRecord?> TryInsertAsync(PartnerRecord record, CancellationToken cancellationToken)
    {
        var stored = records.GetOrAdd((record.Endpoint, record.Key), record);
        return Task.FromResult(ReferenceEquals(stored, record) ? null : stored);
    }

    public Task UpsertAsync(PartnerRecord record, CancellationToken cancellationToken)
    {
        records[(record.Endpoint, record.Key)] = record;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PartnerRecord>> ListDueAsync(string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<PartnerRecord> due = records.Values
            .Where(r => r.Endpoint == endpoint && r.DueAt is { } at && at <= now)
            .OrderBy(r => r.DueAt)
            .Take(limit)
            .ToList();
        return Task.FromResult(due);
    }
}
