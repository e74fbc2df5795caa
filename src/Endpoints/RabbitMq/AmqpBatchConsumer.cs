using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Router.Endpoints.RabbitMq;

/// <summary>The consumer's channel closed or the broker cancelled the consumer: what it delivered and was not acknowledged is back in the queue.</summary>
internal sealed class AmqpConsumerLostException(string reason) : Exception($"the consumer stopped: {reason}");

/// <summary>
/// One <c>basic.consume</c> on a channel, with the deliveries read as they arrive and buffered (the prefetch bounds
/// the buffer) until <see cref="TakeBatchAsync"/> takes them in batches. Delivery tags belong to this channel only:
/// once it has closed, taking fails, because the broker has already put everything unacknowledged back in the queue.
/// </summary>
internal sealed class AmqpBatchConsumer : AsyncDefaultBasicConsumer
{
    private readonly Channel<AmqpReading> deliveries = System.Threading.Channels.Channel.CreateUnbounded<AmqpReading>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<ulong, IReadOnlyBasicProperties, ReadOnlyMemory<byte>, AmqpReading> read;

    private AmqpBatchConsumer(IChannel channel, Func<ulong, IReadOnlyBasicProperties, ReadOnlyMemory<byte>, AmqpReading> read)
        : base(channel)
    {
        this.read = read;
    }

    private volatile bool lost;

    public bool IsOpen => !lost && Channel.IsOpen;

    public static async Task<AmqpBatchConsumer> StartAsync(IChannel channel, string queue, ushort prefetch,
        Func<ulong, IReadOnlyBasicProperties, ReadOnlyMemory<byte>, AmqpReading> read, CancellationToken cancellationToken)
    {
        var consumer = new AmqpBatchConsumer(channel, read);
        channel.ChannelShutdownAsync += consumer.OnChannelShutdownAsync;
        await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        return consumer;
    }

    /// <summary>
    /// Waits for a first delivery (at most <paramref name="firstWait"/> when given; an empty batch then), then for more
    /// until the batch has <paramref name="size"/> or <paramref name="linger"/> has passed since the first one.
    /// </summary>
    public async Task<List<AmqpReading>> TakeBatchAsync(int size, TimeSpan? firstWait, TimeSpan linger, CancellationToken cancellationToken)
    {
        var batch = new List<AmqpReading>(size);
        if (!await WaitAsync(firstWait, cancellationToken))
        {
            return batch;
        }
        var lingerEnds = DateTimeOffset.UtcNow + linger;
        while (true)
        {
            while (batch.Count < size && deliveries.Reader.TryRead(out var reading))
            {
                batch.Add(reading);
            }
            var left = lingerEnds - DateTimeOffset.UtcNow;
            if (batch.Count >= size || left <= TimeSpan.Zero || !await WaitAsync(left, cancellationToken))
            {
                return batch;
            }
        }
    }

    public override Task HandleBasicDeliverAsync(string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // Read here: the body's memory is the client's only for the duration of this callback.
        deliveries.Writer.TryWrite(read(deliveryTag, properties, body));
        return Task.CompletedTask;
    }

    protected override async Task OnCancelAsync(string[] consumerTags, CancellationToken cancellationToken)
    {
        await base.OnCancelAsync(consumerTags, cancellationToken);
        // The broker cancelled it (the queue was deleted, a quorum queue's leader moved), or we did on the way out.
        lost = true;
        deliveries.Writer.TryComplete(new AmqpConsumerLostException("the consumer was cancelled"));
    }

    private Task OnChannelShutdownAsync(object sender, ShutdownEventArgs e)
    {
        lost = true;
        deliveries.Writer.TryComplete(new AmqpConsumerLostException($"channel closed ({e.Initiator}: {e.ReplyCode} {e.ReplyText})"));
        return Task.CompletedTask;
    }

    /// <summary>True once a delivery is buffered; false when <paramref name="timeout"/> passed first. Throws once the consumer is gone.</summary>
    private async Task<bool> WaitAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new AmqpConsumerLostException("channel closed");
        }
        if (deliveries.Reader.TryPeek(out _))
        {
            return true;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            wait.CancelAfter(limit);
        }
        try
        {
            return await deliveries.Reader.WaitToReadAsync(wait.Token) && IsOpen;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
