using System.Collections.Concurrent;
using Rebus.Transport;
using Router.Transport.Sqlite.Messages;

namespace Router.Transport.Sqlite.Receiving;

/// <summary>
/// What happens to a received row as its transaction context completes:
/// commit → one write deletes the row (if our lease still holds it), inserts the context's sends and runs the
/// participants; ack without commit (Rebus's final-failure path, after it sent the error-queue copy itself) → delete
/// only; nack, rollback or dispose without either → release the lease so the message comes back at once.
/// </summary>
/// <remarks>
/// The write happens in the commit callback, not on ack: Rebus's retry step commits a handled message eagerly inside
/// its exception handler, so a failing participant or a lost lease counts as a failed delivery attempt (error tracker,
/// error queue) instead of being logged after the fact. Rebus then acks; ack after a commit has nothing left to do.
/// </remarks>
internal sealed class ReceivedMessageTransaction
{
    private const string ContextKey = "router.sqlite-transport.received-message";

    // Where Rebus's AbstractRebusTransport collects a context's sends (its internal OutgoingMessagesKey). Our commit
    // callback is registered at receive time, before the one AbstractRebusTransport registers on the first send, so it
    // runs first and takes the messages from there; the later SendOutgoingMessages call then finds nothing left.
    private const string RebusOutgoingMessagesKey = "outgoing-messages";

    private const int Pending = 0;
    private const int Committing = 1;
    private const int Committed = 2;
    private const int Finished = 3;

    private readonly SqliteTransport transport;
    private readonly LeasedMessage message;
    private readonly ConcurrentQueue<OutgoingTransportMessage> stashed = new();
    private int state;

    private ReceivedMessageTransaction(SqliteTransport transport, LeasedMessage message)
    {
        this.transport = transport;
        this.message = message;
    }

    public static void Begin(SqliteTransport transport, LeasedMessage message, ITransactionContext context)
    {
        var transaction = new ReceivedMessageTransaction(transport, message);
        if (!context.Items.TryAdd(ContextKey, transaction))
        {
            throw new InvalidOperationException("a transaction context can hold only one received message");
        }
        context.OnCommit(transaction.CommitAsync);
        context.OnAck(transaction.AckAsync);
        context.OnNack(transaction.NackAsync);
        context.OnDisposed(transaction.OnDisposed);
    }

    public static ReceivedMessageTransaction? Find(ITransactionContext context) =>
        context.Items.TryGetValue(ContextKey, out var item) ? item as ReceivedMessageTransaction : null;

    /// <summary>Keeps sends for the commit write; false once that write has started (they are too late for it).</summary>
    public bool TryStash(IEnumerable<OutgoingTransportMessage> messages)
    {
        if (Volatile.Read(ref state) != Pending)
        {
            return false;
        }
        foreach (var outgoing in messages)
        {
            stashed.Enqueue(outgoing);
        }
        return true;
    }

    private async Task CommitAsync(ITransactionContext context)
    {
        if (Interlocked.CompareExchange(ref state, Committing, Pending) != Pending)
        {
            return;
        }
        var outgoing = new List<OutgoingTransportMessage>();
        while (stashed.TryDequeue(out var early))
        {
            outgoing.Add(early);
        }
        if (context.Items.TryGetValue(RebusOutgoingMessagesKey, out var item) && item is ConcurrentQueue<OutgoingTransportMessage> collected)
        {
            while (collected.TryDequeue(out var sent))
            {
                outgoing.Add(sent);
            }
        }
        try
        {
            await transport.CommitReceivedAsync(message, outgoing, context).ConfigureAwait(false);
            Volatile.Write(ref state, Committed);
        }
        catch
        {
            // Put the sends back: should the commit run again, the received row must not go without them.
            foreach (var message in outgoing)
            {
                stashed.Enqueue(message);
            }
            Volatile.Write(ref state, Pending);
            throw;
        }
    }

    private async Task AckAsync(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Finished) == Pending)
        {
            await transport.DeleteReceivedAsync(message).ConfigureAwait(false);
        }
    }

    private async Task NackAsync(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Finished) == Pending)
        {
            await transport.ReleaseAsync([message]).ConfigureAwait(false);
        }
    }

    private void OnDisposed(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Finished) == Pending)
        {
            // Disposed without a result (an exception before Rebus's retry step): Rebus gives us a sync callback only.
            transport.ReleaseInBackground(message);
        }
        transport.OnReceivedMessageDone(message);
    }
}
