using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Rebus.Logging;
using Router.Transport.RabbitMq.Messages;

namespace Router.Transport.RabbitMq.Receiving;

/// <summary>
/// One consumer channel on the input queue and what it delivered. Delivery tags belong to their channel: once it has
/// closed, the broker has already put its unacknowledged messages back in the queue, so acknowledging them on any
/// other channel would be wrong (at best an error, at worst acking a different message). Such acks and nacks are
/// skipped: the message simply comes again.
/// </summary>
internal sealed class ConsumerSession : IAsyncDisposable
{
    private static long lastId;

    private readonly IChannel channel;
    private readonly string queue;
    private readonly bool countsDeliveries;
    private readonly Action<Delivery> onDelivery;
    private readonly ILog log;
    private readonly TaskCompletionSource<string> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ConsumerSession(IChannel channel, string queue, bool countsDeliveries, Action<Delivery> onDelivery, ILog log)
    {
        this.channel = channel;
        this.queue = queue;
        this.countsDeliveries = countsDeliveries;
        this.onDelivery = onDelivery;
        this.log = log;
    }

    public long Id { get; } = Interlocked.Increment(ref lastId);

    public bool IsOpen => !closed.Task.IsCompleted && channel.IsOpen;

    /// <summary>Completes with the reason once the channel or the consumer is gone.</summary>
    public Task<string> Closed => closed.Task;

    public static async Task<ConsumerSession> OpenAsync(IConnection connection, string queue, ushort prefetch, bool countsDeliveries,
        Action<Delivery> onDelivery, ILog log, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var session = new ConsumerSession(channel, queue, countsDeliveries, onDelivery, log);
        try
        {
            channel.ChannelShutdownAsync += session.OnChannelShutdownAsync;
            await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += session.OnReceivedAsync;
            consumer.UnregisteredAsync += session.OnUnregisteredAsync;
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<bool> AckAsync(ulong deliveryTag) =>
        SettleAsync(deliveryTag, "acknowledge", () => channel.BasicAckAsync(deliveryTag, multiple: false));

    public Task<bool> NackAsync(ulong deliveryTag) =>
        SettleAsync(deliveryTag, "return", () => channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true));

    /// <summary>Closes the channel: the broker puts everything it delivered here and was not acknowledged back in the queue.</summary>
    public async ValueTask DisposeAsync()
    {
        closed.TrySetResult("closed by the transport");
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Closing the consumer channel of {queue} failed: {error}", queue, e.Message);
        }
    }

    private async Task<bool> SettleAsync(ulong deliveryTag, string what, Func<ValueTask> settle)
    {
        if (!IsOpen)
        {
            log.Info("Cannot {action} delivery {tag} of {queue}: its channel has closed, so the broker delivers the message again",
                what, deliveryTag, queue);
            return false;
        }
        try
        {
            await settle().ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            log.Warn("Could not {action} delivery {tag} of {queue} ({error}); the broker delivers the message again", what, deliveryTag, queue, e.Message);
            return false;
        }
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs e)
    {
        // The body's memory belongs to the client only for the duration of this callback.
        var headers = HeaderMapping.ToHeaders(e.BasicProperties, countsDeliveries, out var expiresAt);
        onDelivery(new Delivery(this, e.DeliveryTag, headers, e.Body.ToArray(), expiresAt));
        return Task.CompletedTask;
    }

    private Task OnUnregisteredAsync(object sender, ConsumerEventArgs e)
    {
        // The broker cancelled the consumer (its queue was deleted, or a quorum queue's leader moved): start over.
        if (closed.TrySetResult("the broker cancelled the consumer"))
        {
            _ = DisposeAsync().AsTask();
        }
        return Task.CompletedTask;
    }

    private Task OnChannelShutdownAsync(object sender, ShutdownEventArgs e)
    {
        closed.TrySetResult($"{e.Initiator}: {e.ReplyCode} {e.ReplyText}");
        return Task.CompletedTask;
    }
}
