namespace Router.Core.Leases;

/// <summary>
/// The embedded default (SQLite): one host owns the database file, so it holds every lease. Two hosts on one SQLite
/// file are not a supported setup; scale out on PostgreSQL, whose lease store decides between hosts.
/// </summary>
public sealed class SingleHostLeaseStore : ILeaseStore
{
    public Task<bool> TryHoldAsync(string lease, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task ReleaseAsync(string lease, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
