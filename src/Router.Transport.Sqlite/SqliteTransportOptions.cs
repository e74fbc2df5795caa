namespace Router.Transport.Sqlite;

/// <summary>
/// Settings of one <see cref="SqliteTransport"/>, returned by <c>UseSqlite(...)</c> for chaining; read when Rebus
/// creates the transport, so they may be set after the call.
/// </summary>
public sealed class SqliteTransportOptions
{
    private readonly List<ISqliteTransactionParticipant> participants = [];

    internal int PrefetchCount { get; private set; } = 10;
    internal TimeSpan LeaseDuration { get; private set; } = TimeSpan.FromSeconds(30);
    internal TimeSpan PollIntervalValue { get; private set; } = TimeSpan.FromMilliseconds(500);
    internal TimeSpan BusyWaitCap { get; private set; } = TimeSpan.FromMilliseconds(2);
    internal TimeSpan ErrorBackoffValue { get; private set; } = TimeSpan.FromSeconds(1);
    internal TimeSpan CleanupInterval { get; private set; } = TimeSpan.FromMinutes(1);
    internal TimeProvider Time { get; } = TimeProvider.System;
    internal IReadOnlyList<ISqliteTransactionParticipant> Participants => participants;

    /// <summary>
    /// How many messages one receive leases at once (default 10). The rest wait in memory, leased, for the next
    /// receives of this transport; they are released when it is disposed.
    /// </summary>
    public SqliteTransportOptions Prefetch(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        PrefetchCount = count;
        return this;
    }

    /// <summary>
    /// How long a received message stays invisible to other receivers (default 30 s). Renewed every third of it while
    /// this process holds the message, so it only bounds how soon a crashed host's messages come back.
    /// </summary>
    public SqliteTransportOptions Lease(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromMilliseconds(300));
        LeaseDuration = duration;
        return this;
    }

    /// <summary>
    /// Longest wait of an idle receiver before it looks again (default 500 ms). Sends in this process wake it at once;
    /// this bounds how late it sees other processes' sends.
    /// </summary>
    public SqliteTransportOptions PollInterval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(1));
        PollIntervalValue = interval;
        return this;
    }

    /// <summary>Wait after a receive failed, e.g. the database was busy (default 1 s).</summary>
    public SqliteTransportOptions ErrorBackoff(TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        ErrorBackoffValue = wait;
        return this;
    }

    /// <summary>How often expired messages are deleted and leases of dead local processes released (default 1 min).</summary>
    public SqliteTransportOptions ExpiredMessagesCleanupInterval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(100));
        CleanupInterval = interval;
        return this;
    }

    /// <summary>Adds state that commits in the same transaction as the message; see <see cref="ISqliteTransactionParticipant"/>.</summary>
    public SqliteTransportOptions AddParticipant(ISqliteTransactionParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        participants.Add(participant);
        return this;
    }
}
