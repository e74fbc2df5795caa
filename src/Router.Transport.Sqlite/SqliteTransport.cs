using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Rebus.Bus;
using Rebus.Logging;
using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Sqlite.Database;
using Router.Transport.Sqlite.Inspection;
using Router.Transport.Sqlite.Leasing;
using Router.Transport.Sqlite.Messages;
using Router.Transport.Sqlite.Receiving;
using Router.Transport.Sqlite.Schema;
using Router.Transport.Common.Signals;
using Router.Transport.Sqlite.Signals;

namespace Router.Transport.Sqlite;

/// <summary>
/// A Rebus transport whose queues are rows of one table in the router's SQLite database, so a handled message's
/// removal, its sends and the router's own state commit in one short transaction (a transactional outbox on one machine).
/// </summary>
/// <remarks>
/// <para>Receive leases rows (visible_at moves past the lease) instead of holding a transaction open through the
/// handler, so the single SQLite writer is never blocked by a slow handler. Leases are renewed while held; a crashed
/// host's messages come back when its leases run out, or at once when a transport starts on the same machine and finds
/// the owning process gone.</para>
/// <para>Durability: sends outside a received message (one-way clients, inbound hand-offs) are fsynced before the send
/// completes. A received message's commit is fsynced only when the database runs with synchronous=FULL: with NORMAL a
/// power loss may undo the last commits as a whole — the message comes back together with its sends undone.</para>
/// <para>Constructed directly (tests, tools), call <see cref="Initialize"/> before use; Rebus does so itself.</para>
/// </remarks>
public sealed class SqliteTransport : AbstractRebusTransport, IInitializable, IDisposable, ITransportInspector, ISignalledReceiver
{
    private readonly SqliteDatabase database;
    private readonly SqliteTransportOptions options;
    private readonly ILog log;
    private readonly string leaseOwner = LeaseOwner.ForThisProcess().ToString();
    private readonly QueueSignals signals;
    private readonly QueueSignal? inputSignal;
    private readonly HeldLeases heldLeases = new();
    private readonly ConcurrentQueue<LeasedMessage> prefetched = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly LeaseKeeper leaseKeeper;
    private Task maintenance = Task.CompletedTask;
    private long lastEmptyFetchVersion = -1;
    private long nextVisibleAtMs = long.MaxValue;
    private int initialized;
    private int disposed;

    /// <param name="database">Shared with the router's stores and other buses of this process.</param>
    /// <param name="inputQueueName">The queue this transport receives from; null for a one-way client.</param>
    public SqliteTransport(SqliteDatabase database, string? inputQueueName, SqliteTransportOptions? options = null,
        IRebusLoggerFactory? loggerFactory = null)
        : base(inputQueueName)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        this.options = options ?? new SqliteTransportOptions();
        log = (loggerFactory ?? new NullLoggerFactory()).GetLogger<SqliteTransport>();
        signals = QueueSignals.Of(database);
        inputSignal = inputQueueName is null ? null : signals.For(inputQueueName);
        Queues = new SqliteQueues(database);
        leaseKeeper = new LeaseKeeper(database, this.options, leaseOwner, heldLeases, signals, log);
    }

    public SqliteDatabase Database => database;

    /// <summary>Counts and purge for every queue of this database.</summary>
    public SqliteQueues Queues { get; }

    internal SqliteTransportOptions Options => options;

    /// <summary>Set just before a receive slot frees up; <see cref="SignalledBackoffStrategy"/> waits on it.</summary>
    public WorkSlotSignal WorkSlots { get; } = new();

    private long NowMs => UnixTime.NowMs(options.Time);

    private string InputQueue => Address ?? throw new InvalidOperationException("a one-way client has no input queue to receive from");

    /// <summary>Queues are values in the message table: there is nothing to create.</summary>
    public override void CreateQueue(string address)
    {
    }

    /// <summary>Creates the tables if needed, releases leases of dead local processes and starts lease renewal.</summary>
    public void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) != 0)
        {
            return;
        }
        // IInitializable is synchronous: the one place the transport waits for its database on the caller's thread.
        InitializeAsync(stopping.Token).GetAwaiter().GetResult();
        if (Address is not null)
        {
            maintenance = Task.Run(() => leaseKeeper.RunAsync(stopping.Token));
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await TransportSchema.EnsureAsync(database, cancellationToken).ConfigureAwait(false);
        if (Address is not null)
        {
            await leaseKeeper.ReleaseLeasesOfDeadProcessesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands out the next message of the input queue, leasing up to the prefetch count at once; null at once when none is
    /// visible (Rebus's back-off then waits — see <see cref="SignalledBackoffStrategy"/>).
    /// </summary>
    public override async Task<TransportMessage?> Receive(ITransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = InputQueue;
        cancellationToken.ThrowIfCancellationRequested();
        var message = await NextLeasedAsync(queue, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }
        ReceivedMessageTransaction.Begin(this, message, context);
        return message.ToTransportMessage();
    }

    /// <summary>
    /// Called by Rebus on commit with what the context sent. Inside a received message's context they are kept for that
    /// message's commit write; otherwise they are inserted now, fsynced, together with the participants.
    /// </summary>
    protected override async Task SendOutgoingMessages(IEnumerable<OutgoingTransportMessage> outgoingMessages, ITransactionContext context)
    {
        var messages = TakeAll(outgoingMessages);
        if (messages.Count == 0)
        {
            return;
        }
        if (ReceivedMessageTransaction.Find(context) is { } received)
        {
            if (received.TryStash(messages))
            {
                return;
            }
            log.Warn("{count} message(s) were sent after the received message had committed; they are written on their own", messages.Count);
        }
        var rows = ToRows(messages);
        await database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await MessageTable.InsertAsync(connection, transaction, rows, ct).ConfigureAwait(false);
            await RunParticipantsAsync(connection, transaction, context, ct).ConfigureAwait(false);
        }, durable: true).ConfigureAwait(false);
        signals.Pulse(rows.Select(r => r.Queue));
    }

    public async Task<Dictionary<string, object>> GetProperties(CancellationToken cancellationToken)
    {
        var counts = await Queues.GetCountsAsync(InputQueue, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object>
        {
            // Waiting or being handled; deferred and expired messages are not in the queue yet / any more.
            [TransportInspectorPropertyKeys.QueueLength] = (counts.Ready + counts.Leased).ToString(CultureInfo.InvariantCulture),
            ["ready"] = counts.Ready.ToString(CultureInfo.InvariantCulture),
            ["leased"] = counts.Leased.ToString(CultureInfo.InvariantCulture),
            ["deferred"] = counts.Deferred.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Stops lease renewal and releases prefetched messages that were never handed out. Messages still being handled
    /// keep their lease until it runs out, as if this process had crashed (Rebus stops its workers before this).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        stopping.Cancel();
        // IDisposable is all Rebus honours: wait here for the last database work of this transport.
        try
        {
            maintenance.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        var unhandled = new List<LeasedMessage>();
        while (prefetched.TryDequeue(out var message))
        {
            unhandled.Add(message);
        }
        if (unhandled.Count > 0)
        {
            try
            {
                ReleaseAsync(unhandled).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                log.Warn("Could not release {count} prefetched message(s); they come back when their lease runs out: {error}", unhandled.Count, e.Message);
            }
        }
        stopping.Dispose();
    }

    internal async Task CommitReceivedAsync(LeasedMessage message, IReadOnlyList<OutgoingTransportMessage> outgoing, ITransactionContext context)
    {
        var rows = ToRows(outgoing);
        await database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            if (!await MessageTable.DeleteLeasedAsync(connection, transaction, message.Id, message.LeaseToken, ct).ConfigureAwait(false))
            {
                throw new SqliteLeaseLostException(
                    $"message {message.Id} in queue '{message.Queue}' is no longer leased by this receiver (its lease ran out); nothing was committed");
            }
            await MessageTable.InsertAsync(connection, transaction, rows, ct).ConfigureAwait(false);
            await RunParticipantsAsync(connection, transaction, context, ct).ConfigureAwait(false);
        }, durable: false).ConfigureAwait(false);
        heldLeases.Remove(message.Id);
        if (rows.Count > 0)
        {
            signals.Pulse(rows.Select(r => r.Queue));
        }
    }

    internal async Task DeleteReceivedAsync(LeasedMessage message)
    {
        await database.ExecuteWriteAsync(
            (connection, transaction, ct) => MessageTable.DeleteLeasedAsync(connection, transaction, message.Id, message.LeaseToken, ct),
            durable: false).ConfigureAwait(false);
        heldLeases.Remove(message.Id);
    }

    internal async Task ReleaseAsync(IReadOnlyCollection<LeasedMessage> messages)
    {
        var released = await database.ExecuteWriteAsync(
            (connection, transaction, ct) => MessageTable.ReleaseAsync(connection, transaction, messages, NowMs, ct),
            durable: false).ConfigureAwait(false);
        foreach (var message in messages)
        {
            heldLeases.Remove(message.Id);
        }
        if (released > 0)
        {
            signals.Pulse(messages.Select(m => m.Queue));
        }
    }

    internal void ReleaseInBackground(LeasedMessage message) =>
        _ = ReleaseAsync([message]).ContinueWith(
            t => log.Warn("Could not release message {id}; it comes back when its lease runs out: {error}", message.Id, t.Exception!.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    internal void OnReceivedMessageDone(LeasedMessage message)
    {
        heldLeases.Remove(message.Id);
        WorkSlots.Set();
    }

    /// <summary>
    /// Waits until the input queue may have something: a commit in this process touched it, a deferred message or a
    /// lapsing lease becomes due, or the poll interval passed (other processes are only seen by looking).
    /// </summary>
    TimeSpan ISignalledReceiver.IdleSlotWait => options.PollIntervalValue;

    TimeSpan ISignalledReceiver.BusySlotWait => options.BusyWaitCap;

    TimeSpan ISignalledReceiver.ErrorBackoff => options.ErrorBackoffValue;

    public async Task WaitForMessagesAsync(CancellationToken cancellationToken)
    {
        if (inputSignal is null || !prefetched.IsEmpty)
        {
            return;
        }
        var seen = Interlocked.Read(ref lastEmptyFetchVersion);
        var timeout = options.PollIntervalValue;
        var untilNextVisible = Interlocked.Read(ref nextVisibleAtMs) - NowMs;
        if (untilNextVisible < timeout.TotalMilliseconds)
        {
            // A millisecond late rather than a timer tick early, which would only find the row still invisible.
            timeout = TimeSpan.FromMilliseconds(Math.Max(0, untilNextVisible + 1));
        }
        await inputSignal.WaitForChangeAsync(seen, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LeasedMessage?> NextLeasedAsync(string queue, CancellationToken cancellationToken)
    {
        while (prefetched.TryDequeue(out var buffered))
        {
            if (!buffered.HasExpired(NowMs))
            {
                return buffered;
            }
            await DeleteReceivedAsync(buffered).ConfigureAwait(false);
        }
        var batch = await LeaseBatchAsync(queue, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return null;
        }
        for (var i = 1; i < batch.Count; i++)
        {
            prefetched.Enqueue(batch[i]);
        }
        if (batch.Count > 1)
        {
            // Receive slots idling in the back-off should come and take the prefetched ones.
            inputSignal!.Pulse();
        }
        return batch[0];
    }

    private async Task<List<LeasedMessage>> LeaseBatchAsync(string queue, CancellationToken cancellationToken)
    {
        // Read before looking, so a commit that lands while we look is not missed by the back-off's wait.
        var seenVersion = inputSignal!.Version;
        var leaseToken = Guid.NewGuid().ToString("N");
        var leaseMs = (long)options.LeaseDuration.TotalMilliseconds;
        var (batch, nextVisibleAt) = await database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            var now = NowMs;
            var leased = await MessageTable.LeaseAsync(connection, transaction, queue, now, now + leaseMs, leaseToken, leaseOwner,
                options.PrefetchCount, ct).ConfigureAwait(false);
            var next = leased.Count == 0 ? await MessageTable.NextVisibleAtAsync(connection, transaction, queue, now, ct).ConfigureAwait(false) : null;
            return (leased, next);
        }, durable: false, cancellationToken).ConfigureAwait(false);
        foreach (var message in batch)
        {
            heldLeases.Add(message.Id);
        }
        if (batch.Count == 0)
        {
            RecordEmptyLook(seenVersion, nextVisibleAt);
        }
        return batch;
    }

    private void RecordEmptyLook(long seenVersion, long? nextVisibleAt)
    {
        long recorded;
        do
        {
            recorded = Interlocked.Read(ref lastEmptyFetchVersion);
        }
        while (seenVersion > recorded && Interlocked.CompareExchange(ref lastEmptyFetchVersion, seenVersion, recorded) != recorded);
        Interlocked.Exchange(ref nextVisibleAtMs, nextVisibleAt ?? long.MaxValue);
    }

    private async Task RunParticipantsAsync(SqliteConnection connection, SqliteTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken)
    {
        foreach (var participant in options.Participants)
        {
            await participant.OnCommittingAsync(connection, transaction, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<OutgoingRow> ToRows(IReadOnlyList<OutgoingTransportMessage> outgoing)
    {
        var now = NowMs;
        var rows = new List<OutgoingRow>(outgoing.Count);
        foreach (var message in outgoing)
        {
            rows.Add(OutgoingRow.From(message, now));
        }
        return rows;
    }

    /// <summary>Rebus hands over its own collection; emptying it makes sure nothing is written twice.</summary>
    private static List<OutgoingTransportMessage> TakeAll(IEnumerable<OutgoingTransportMessage> outgoing)
    {
        if (outgoing is not ConcurrentQueue<OutgoingTransportMessage> queue)
        {
            return outgoing.ToList();
        }
        var taken = new List<OutgoingTransportMessage>(queue.Count);
        while (queue.TryDequeue(out var message))
        {
            taken.Add(message);
        }
        return taken;
    }
}
