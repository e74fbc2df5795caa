using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Router.Core.Leases;

namespace Router.Storage.Postgres;

/// <summary>
/// Leases as PostgreSQL session-level advisory locks (<c>pg_try_advisory_lock</c>) on one dedicated, unpooled
/// connection per host: a lock lives exactly as long as that session, so a host that dies, or whose connection is cut
/// (<c>pg_terminate_backend</c>, a network failure the server notices), lets go of every lease it held without
/// anybody cleaning up. Before each run the holder checks its session is still alive; if it is not, it reconnects and
/// competes again like any other host. Between a session dying and its host noticing at its next check, that host may
/// still be in the middle of a run while another starts one: runs must stay idempotent (the inbox sees to that).
/// </summary>
public sealed class PostgresLeaseStore : ILeaseStore
{
    private readonly string connectionString;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<string> held = new(StringComparer.Ordinal);
    private NpgsqlConnection? session;
    private int disposed;

    public PostgresLeaseStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A pooled connection outlives its Close, and with it the session's locks: leases need a session of their own.
            Pooling = false,
            // Lets the client notice a dead server or path between checks instead of hanging on it.
            KeepAlive = 30,
        };
        builder.ApplicationName ??= "router-leases";
        this.connectionString = builder.ConnectionString;
    }

    public async Task<bool> TryHoldAsync(string lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lease);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.Contains(lease))
            {
                if (await IsAliveAsync(cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
                // The session died and took every lease with it; compete again on a new one.
                await DropSessionAsync().ConfigureAwait(false);
            }
            var connection = await SessionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                take.Parameters.AddWithValue("key", KeyOf(lease));
                // Session-level locks stack; asking only while not held keeps exactly one to release.
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    held.Add(lease);
                    return true;
                }
                return false;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                await DropSessionAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ReleaseAsync(string lease, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!held.Remove(lease) || session is null)
            {
                return;
            }
            try
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
                release.Parameters.AddWithValue("key", KeyOf(lease));
                await release.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // A dead session has released it already.
                await DropSessionAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A stable 64-bit key per lease name, the same on every host (advisory locks are per database).</summary>
    public static long KeyOf(string lease) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("router-lease:" + lease)), 0);

    private async Task<NpgsqlConnection> SessionAsync(CancellationToken cancellationToken)
    {
        if (session is { State: System.Data.ConnectionState.Open })
        {
            return session;
        }
        await DropSessionAsync().ConfigureAwait(false);
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        session = connection;
        return connection;
    }

    private async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        if (session is not { State: System.Data.ConnectionState.Open })
        {
            return false;
        }
        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", session);
            await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task DropSessionAsync()
    {
        held.Clear();
        if (session is not null)
        {
            var dead = session;
            session = null;
            await dead.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closing the session releases every lease at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (held.Count > 0 && await IsAliveAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // The server ends a closed session a moment after the client has gone; unlocking first hands the
                // leases on the moment this host stops, not when the server gets round to it.
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", session);
                await release.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            await DropSessionAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
        gate.Dispose();
    }
}
