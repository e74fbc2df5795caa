namespace Router.Core.Leases;

/// <summary>
/// Leadership for jobs that exactly one host of a scaled-out router may do at a time: polling an inbound endpoint
/// (an FTP or local folder), running a schedule. A host asks before each run; a host that dies (or loses its
/// connection) loses its leases, and another host takes them over at its next attempt.
/// </summary>
public interface ILeaseStore : IAsyncDisposable
{
    /// <summary>
    /// True when this host holds <paramref name="lease"/> now: it held it and still does, or it has just taken it;
    /// false while another host holds it. Throws when it cannot tell (the database is unreachable): do not run then.
    /// </summary>
    Task<bool> TryHoldAsync(string lease, CancellationToken cancellationToken);

    /// <summary>Lets the lease go, so another host can take it at its next attempt; nothing happens if it is not held.</summary>
    Task ReleaseAsync(string lease, CancellationToken cancellationToken);
}

/// <summary>The names leases go by, so every host asks for the same one.</summary>
public static class LeaseNames
{
    public static string Poller(string endpointId) => "poll:" + endpointId;

    public static string Schedule(string scheduleId) => "schedule:" + scheduleId;
}
