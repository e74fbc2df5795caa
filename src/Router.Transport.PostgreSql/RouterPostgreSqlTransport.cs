using System.Collections.Concurrent;
using System.Globalization;
using Rebus.Bus;
using Rebus.Extensions;
using Rebus.Messages;
using Rebus.PostgreSql.Transport;
using Rebus.Transport;

namespace Router.Transport.PostgreSql;

/// <summary>
/// Rebus.PostgreSql's transport with four things it lacks, all outside its SQL: one transaction per Rebus transaction
/// context that the router's state rides in (<see cref="IPostgresTransactionParticipant"/>); a receiving handler's
/// sends held until commit, so a failed handler sends nothing even when Rebus acknowledges it to dead-letter it
/// (Rebus.PostgreSql issue 53); deferrals that honour <c>rbs2-defer-recipient</c> and are never due early (it counts
/// whole seconds from the transaction's start); queue lengths for <see cref="ITransportInspector"/>. Disposing it
/// closes the transactions still open, as a dying process's connections would close, so their messages come back.
/// </summary>
public sealed class RouterPostgreSqlTransport : ITransport, ITransportInspector, IInitializable, IDisposable
{
    private const string SharedTransactionKey = "router-postgresql-shared-transaction";

    private readonly PostgreSqlTransport inner;
    private readonly PostgreSqlTransportOptions options;
    private readonly PostgreSqlQueueTable table;
    private readonly ConcurrentDictionary<SharedTransaction, byte> open = new();
    private int disposed;

    public RouterPostgreSqlTransport(PostgreSqlTransport inner, PostgreSqlTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        this.inner = inner;
        this.options = options;
        table = new PostgreSqlQueueTable(options.DataSource, options.Schema, options.Table);
    }

    public string Address => inner.Address;

    /// <summary>True when a send or receive in <paramref name="context"/> opened a transaction that participants will write in.</summary>
    public static bool HasTransaction(ITransactionContext context) =>
        context?.Items.ContainsKey(SharedTransactionKey) ?? throw new ArgumentNullException(nameof(context));

    public void CreateQueue(string address) => inner.CreateQueue(address);

    public void Initialize() => inner.Initialize();

    public async Task Send(string destinationAddress, TransportMessage message, ITransactionContext context)
    {
        var shared = await GetOrBeginAsync(context, receiving: false, CancellationToken.None).ConfigureAwait(false);
        if (shared.Receiving)
        {
            shared.Hold(destinationAddress, message);
            return;
        }
        await SendNowAsync(shared, destinationAddress, message, context).ConfigureAwait(false);
    }

    public async Task<TransportMessage> Receive(ITransactionContext context, CancellationToken cancellationToken)
    {
        var shared = await GetOrBeginAsync(context, receiving: true, cancellationToken).ConfigureAwait(false);
        SharedTransaction.Lent = shared;
        return await inner.Receive(context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Dictionary<string, object>> GetProperties(CancellationToken cancellationToken)
    {
        var counts = await table.CountAsync([Address], cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object>
        {
            [TransportInspectorPropertyKeys.QueueLength] = counts.Sum(c => c.Due + c.Deferred).ToString(CultureInfo.InvariantCulture),
        };
    }

    private Task<SharedTransaction> GetOrBeginAsync(ITransactionContext context, bool receiving, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return context.GetOrAdd(SharedTransactionKey, () =>
        {
            var slot = new Slot(BeginTrackedAsync(receiving, cancellationToken));
            // Registered now, before anything else can complete the context; each waits for the transaction itself.
            context.OnCommit(async c => await OnCommitAsync(await slot.Beginning.ConfigureAwait(false), c).ConfigureAwait(false));
            if (receiving)
            {
                // Acknowledged without a commit means Rebus dead-lettered the message elsewhere: only the receive's
                // DELETE commits then, because held sends and participants' rows were never written.
                context.OnAck(async _ => await (await slot.Beginning.ConfigureAwait(false)).CommitAsync(CancellationToken.None).ConfigureAwait(false));
            }
            context.OnDisposed(_ => slot.Dispose());
            return slot;
        }).Beginning;
    }

    private async Task<SharedTransaction> BeginTrackedAsync(bool receiving, CancellationToken cancellationToken)
    {
        var shared = await SharedTransaction.BeginAsync(options.DataSource, receiving, cancellationToken).ConfigureAwait(false);
        open[shared] = 0;
        shared.Finished += () => open.TryRemove(shared, out _);
        return shared;
    }

    /// <summary>A context's transaction, which may still be opening when the context is disposed.</summary>
    private sealed class Slot(Task<SharedTransaction> beginning) : IDisposable
    {
        public Task<SharedTransaction> Beginning { get; } = beginning;

        public void Dispose()
        {
            if (Beginning.IsCompletedSuccessfully)
            {
                Beginning.GetAwaiter().GetResult().Dispose();
            }
            else
            {
                // Still opening (or failed): close it as soon as it is there, nobody will use it any more.
                Beginning.ContinueWith(t => t.GetAwaiter().GetResult().Dispose(), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
    }

    private async Task OnCommitAsync(SharedTransaction shared, ITransactionContext context)
    {
        foreach (var (destination, message) in shared.TakeHeldSends())
        {
            await SendNowAsync(shared, destination, message, context).ConfigureAwait(false);
        }
        foreach (var participant in options.Participants)
        {
            await participant.OnCommittingAsync(shared.Connection, shared.Transaction, context, CancellationToken.None).ConfigureAwait(false);
        }
        if (!shared.Receiving)
        {
            await shared.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendNowAsync(SharedTransaction shared, string destination, TransportMessage message, ITransactionContext context)
    {
        if (message.Headers.TryGetValue(Headers.DeferredUntil, out var until))
        {
            (destination, message) = Deferred(shared, destination, message, until.ToDateTimeOffset());
        }
        SharedTransaction.Lent = shared;
        await inner.Send(destination, message, context).ConfigureAwait(false);
    }

    /// <summary>
    /// Rebus.PostgreSql makes a deferred message visible at the transaction's <c>now()</c> plus the whole seconds left
    /// until it is due, and to the address it was sent to. Moving the due time later by the transaction's age and one
    /// second makes it visible no earlier than asked; the recipient header is turned into the destination.
    /// </summary>
    private static (string Destination, TransportMessage Message) Deferred(SharedTransaction shared, string destination, TransportMessage message,
        DateTimeOffset dueAt)
    {
        var headers = message.Headers.Clone();
        var age = DateTimeOffset.UtcNow - shared.Began;
        headers[Headers.DeferredUntil] = (dueAt + age + TimeSpan.FromSeconds(1)).ToIso8601DateTimeOffset();
        if (headers.Remove(Headers.DeferredRecipient, out var recipient) && !string.IsNullOrEmpty(recipient))
        {
            destination = recipient;
        }
        return (destination, new TransportMessage(headers, message.Body));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        inner.Dispose();
        foreach (var shared in open.Keys)
        {
            // Closing returns the transaction's messages to their queue at once, as a crashed host's would be.
            shared.Dispose();
        }
    }
}
