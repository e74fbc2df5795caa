using Rebus.Logging;
using Router.Transport.Sqlite.Database;
using Router.Transport.Sqlite.Messages;
using Router.Transport.Sqlite.Signals;

namespace Router.Transport.Sqlite.Leasing;

/// <summary>
/// The transport's background upkeep: keeps the leases it holds alive, so long handlers keep their messages, and gives
/// back what nobody will finish — expired messages and the leases of dead local processes.
/// </summary>
internal sealed class LeaseKeeper(
    SqliteDatabase database,
    SqliteTransportOptions options,
    string leaseOwner,
    HeldLeases heldLeases,
    QueueSignals signals,
    ILog log)
{
    private long NowMs => UnixTime.NowMs(options.Time);

    /// <summary>Renews held leases every lease/3; every cleanup interval deletes expired rows and frees dead processes' leases.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextCleanup = NowMs + (long)options.CleanupInterval.TotalMilliseconds;
        using var timer = new PeriodicTimer(options.LeaseDuration / 3);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await RunSafelyAsync("renew leases", RenewLeasesAsync, cancellationToken).ConfigureAwait(false);
            if (NowMs >= nextCleanup)
            {
                nextCleanup = NowMs + (long)options.CleanupInterval.TotalMilliseconds;
                await RunSafelyAsync("delete expired messages", DeleteExpiredAsync, cancellationToken).ConfigureAwait(false);
                await RunSafelyAsync("release leases of dead processes", ReleaseLeasesOfDeadProcessesAsync, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunSafelyAsync(string what, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.Warn("Could not {what}; trying again later: {error}", what, e.Message);
        }
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        if (heldLeases.IsEmpty)
        {
            return;
        }
        var ids = heldLeases.ToJsonArray();
        var leaseMs = (long)options.LeaseDuration.TotalMilliseconds;
        await database.ExecuteWriteAsync(
            (connection, transaction, ct) => MessageTable.RenewAsync(connection, transaction, leaseOwner, ids, NowMs + leaseMs, ct),
            durable: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var deleted = await database.ExecuteWriteAsync(
            (connection, transaction, ct) => MessageTable.DeleteExpiredAsync(connection, transaction, NowMs, ct),
            durable: false, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            log.Info("Deleted {count} expired message(s)", deleted);
        }
    }

    /// <summary>Releases at once the leases of processes on this machine that no longer run (their messages were in flight).</summary>
    public async Task ReleaseLeasesOfDeadProcessesAsync(CancellationToken cancellationToken)
    {
        var owners = await database.ReadAsync(
            (connection, ct) => MessageTable.LeaseOwnersAsync(connection, transaction: null, NowMs, ct),
            cancellationToken).ConfigureAwait(false);
        // Looking at processes is slow-ish: do it outside the single writer.
        var dead = owners.Where(owner => owner != leaseOwner && LeaseOwner.TryParse(owner)?.IsDeadProcessOnThisMachine() == true).ToList();
        if (dead.Count == 0)
        {
            return;
        }
        var queues = await database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            var released = new List<string>();
            foreach (var owner in dead)
            {
                released.AddRange(await MessageTable.ReleaseOwnerAsync(connection, transaction, owner, NowMs, ct).ConfigureAwait(false));
            }
            return released;
        }, durable: false, cancellationToken).ConfigureAwait(false);
        log.Warn("Released {count} message(s) leased by {owners} process(es) on this machine that no longer run", queues.Count, dead.Count);
        signals.Pulse(queues);
    }
}
