using Rebus.Transport;

namespace Router.Transport.RabbitMq.Receiving;

/// <summary>
/// What happens to a delivery as its Rebus transaction completes: ack → basic.ack (after the commit, i.e. after the
/// handler's messages were confirmed by the broker); nack → basic.nack with requeue, so it comes again at once;
/// disposed without either (an exception before Rebus's retry step) → nack too. Each happens once, on the channel
/// that delivered the message.
/// </summary>
internal sealed class ReceivedDeliveryTransaction
{
    private const string ContextKey = "router.rabbitmq-transport.received-delivery";

    private const int Pending = 0;
    private const int Settled = 1;

    private readonly RabbitMqTransport transport;
    private readonly Delivery delivery;
    private int state;

    private ReceivedDeliveryTransaction(RabbitMqTransport transport, Delivery delivery)
    {
        this.transport = transport;
        this.delivery = delivery;
    }

    public static void Begin(RabbitMqTransport transport, Delivery delivery, ITransactionContext context)
    {
        var transaction = new ReceivedDeliveryTransaction(transport, delivery);
        if (!context.Items.TryAdd(ContextKey, transaction))
        {
            throw new InvalidOperationException("a transaction context can hold only one received message");
        }
        context.OnAck(transaction.AckAsync);
        context.OnNack(transaction.NackAsync);
        context.OnDisposed(transaction.OnDisposed);
    }

    private async Task AckAsync(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Settled) == Pending)
        {
            await delivery.Session.AckAsync(delivery.DeliveryTag).ConfigureAwait(false);
        }
    }

    private async Task NackAsync(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Settled) == Pending)
        {
            await delivery.Session.NackAsync(delivery.DeliveryTag).ConfigureAwait(false);
        }
    }

    private void OnDisposed(ITransactionContext context)
    {
        if (Interlocked.Exchange(ref state, Settled) == Pending)
        {
            // Rebus gives only a synchronous callback here; the nack need not be awaited (if it is lost, the broker
            // still returns the message when the channel closes).
            _ = delivery.Session.NackAsync(delivery.DeliveryTag);
        }
        transport.OnDeliveryDone();
    }
}
