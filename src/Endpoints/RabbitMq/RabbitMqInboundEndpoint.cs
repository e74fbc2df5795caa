using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Router.Core.Endpoints;
using Serilog;

namespace Router.Endpoints.RabbitMq;

/// <summary>
/// Consumes a source system's queue (<c>basic.consume</c>, manual acknowledgement, prefetch ahead of the batch) and
/// hands what arrives to the router in batches: a batch goes when it has <c>batch</c> messages or <c>linger</c> after
/// its first one, in one durable commit, and only then is acknowledged (one multiple ack). A crash in between leaves
/// the batch unacknowledged, so the broker delivers it again and the router calls the messages duplicates. A message
/// that cannot become one (malformed JSON, no id, too large) is journalled as rejected and then rejected without
/// requeue, so the queue's dead-letter exchange keeps it — where the source queue has none, RabbitMQ discards it and
/// the journal entry is all that is left (the endpoint warns about this once).
/// </summary>
/// <remarks>
/// Every host consumes (queue consumers compete, so no lease is taken): two hosts share the source queue. A lost
/// channel or connection, or a failed hand-off, starts the consumer over on a fresh channel after a pause; the
/// broker has put back everything that was not acknowledged. <c>run --once</c> (<see cref="PollAsync"/>) consumes
/// the same way until the queue has nothing ready, then stops.
/// </remarks>
public sealed class RabbitMqInboundEndpoint : IPushInboundEndpoint, IDisposable
{
    /// <summary>In <c>run --once</c>: how long an empty consumer waits for a delivery before asking the queue whether it is empty.</summary>
    private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    private readonly RabbitMqEndpointOptions options;
    private readonly EndpointServices services;
    private readonly bool idFromExpression;
    private readonly ILogger logger;
    private readonly AmqpChannelHolder channels;
    private readonly SemaphoreSlim consumeGate = new(1, 1);
    private readonly string queue;
    private bool warnedAboutDeadLetters;

    public RabbitMqInboundEndpoint(string id, RabbitMqEndpointOptions options, EndpointServices services, bool idFromExpression)
    {
        Id = id;
        this.options = options;
        this.services = services;
        this.idFromExpression = idFromExpression;
        queue = options.Queue ?? throw new InvalidOperationException($"endpoint '{id}': a rabbitmq endpoint that routes read from needs 'queue'");
        logger = services.Logger.ForContext<RabbitMqInboundEndpoint>().ForContext("EndpointId", id);
        channels = new AmqpChannelHolder(options, $"router inbound {id}", null, logger);
    }

    public string Id { get; }

    /// <summary>Null: the broker pushes, the host does not poll.</summary>
    public TimeSpan? PollInterval => null;

    public async Task RunAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        await consumeGate.WaitAsync(cancellationToken);
        try
        {
            var pause = FirstPause;
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await WarnAboutDeadLettersOnceAsync(cancellationToken);
                    var consumer = await StartConsumerAsync(cancellationToken);
                    logger.Information("Consuming queue {Queue} on {Broker}: batches of up to {Batch}, prefetch {Prefetch}, linger {Linger}",
                        queue, options.DisplayBroker, options.Batch, options.EffectivePrefetch, options.Linger);
                    try
                    {
                        while (true)
                        {
                            var batch = await consumer.TakeBatchAsync(options.Batch, null, options.Linger, cancellationToken);
                            await HandOffAsync(sink, consumer, batch);
                            pause = FirstPause;
                        }
                    }
                    finally
                    {
                        // Closing the channel puts what it was delivered and did not acknowledge back in the queue.
                        await channels.ResetAsync();
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    logger.Warning("Consuming queue {Queue} on {Broker} stopped: {Error}; starting again in {Pause}",
                        queue, options.DisplayBroker, e.GetBaseException().Message, pause);
                    try
                    {
                        await Task.Delay(pause, services.Clock, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
                }
            }
        }
        finally
        {
            consumeGate.Release();
        }
    }

    /// <summary>Consumes until the queue has nothing ready for this consumer, hands off all of it, then stops (<c>run --once</c>).</summary>
    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        await consumeGate.WaitAsync(cancellationToken);
        try
        {
            await WarnAboutDeadLettersOnceAsync(cancellationToken);
            var consumer = await StartConsumerAsync(cancellationToken);
            var total = new HandOffTally();
            try
            {
                while (true)
                {
                    var batch = await consumer.TakeBatchAsync(options.Batch, DrainWait, options.Linger, cancellationToken);
                    if (batch.Count == 0)
                    {
                        if (await CountReadyAsync(cancellationToken) == 0)
                        {
                            break;
                        }
                        continue;
                    }
                    total += await HandOffAsync(sink, consumer, batch);
                }
            }
            finally
            {
                await channels.ResetAsync();
            }
            if (total.Accepted + total.Duplicates + total.Rejected > 0)
            {
                logger.Information("Drained queue {Queue}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
                    queue, total.Accepted, total.Duplicates, total.Rejected);
            }
            return new PollResult(total.Accepted, total.Duplicates, total.Rejected, 0);
        }
        finally
        {
            consumeGate.Release();
        }
    }

    public void Dispose() => channels.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<AmqpBatchConsumer> StartConsumerAsync(CancellationToken cancellationToken)
    {
        var channel = await channels.GetAsync(cancellationToken);
        try
        {
            // Passive first: a missing queue is a clear error rather than a consumer that closes its channel.
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return await AmqpBatchConsumer.StartAsync(channel, queue, options.EffectivePrefetch,
                (tag, properties, body) => AmqpInboundReader.Read(queue, tag, properties, body, idFromExpression, services.MaxMessageSize),
                cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            await channels.ResetAsync();
            throw new InvalidOperationException($"endpoint '{Id}': queue '{queue}' does not exist on {options.DisplayBroker}", e);
        }
        catch
        {
            await channels.ResetAsync();
            throw;
        }
    }

    private async Task<uint> CountReadyAsync(CancellationToken cancellationToken)
    {
        var channel = await channels.GetAsync(cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
    }

    /// <summary>
    /// Hands off a batch and settles it on its channel. Not cancellable: a batch that was taken is finished even while
    /// the host stops, so the acknowledgement follows the commit (Npgsql's and the transport's timeouts bound it).
    /// On any failure the batch goes back to the queue and the consumer starts over.
    /// </summary>
    private async Task<HandOffTally> HandOffAsync(IInboundSink sink, AmqpBatchConsumer consumer, List<AmqpReading> batch)
    {
        if (batch.Count == 0)
        {
            return default;
        }
        if (!consumer.IsOpen)
        {
            throw new AmqpConsumerLostException("channel closed before the hand-off");
        }
        var channel = consumer.Channel;
        var tally = new HandOffTally();
        try
        {
            foreach (var unreadable in batch.Where(r => r.Message is null))
            {
                // Journal first: if that fails the message stays unacknowledged and comes again, so no refusal goes unrecorded.
                await sink.RecordRejectedAsync(Id, $"queue {queue}", unreadable.MessageId, unreadable.Error!, CancellationToken.None);
                logger.Warning("Rejected {MessageId} from queue {Queue}: {Error}", unreadable.MessageId, queue, unreadable.Error);
                await channel.BasicNackAsync(unreadable.DeliveryTag, multiple: false, requeue: false);
                tally.Rejected++;
            }
            var readable = batch.Where(r => r.Message is not null).ToList();
            if (readable.Count == 0)
            {
                return tally;
            }
            var results = await sink.HandOffAsync(Id, readable.Select(r => r.Message!).ToList(), CancellationToken.None);
            // Only now is it safe to acknowledge the source.
            ulong lastAccepted = 0;
            for (var i = 0; i < readable.Count; i++)
            {
                var reading = readable[i];
                switch (results[i].Status)
                {
                    case HandOffStatus.Accepted:
                        tally.Accepted++;
                        lastAccepted = reading.DeliveryTag;
                        break;
                    case HandOffStatus.Duplicate:
                        tally.Duplicates++;
                        lastAccepted = reading.DeliveryTag;
                        break;
                    default:
                        var error = results[i].Error ?? "rejected by the router";
                        await sink.RecordRejectedAsync(Id, reading.Message!.Origin, reading.MessageId, error, CancellationToken.None);
                        logger.Warning("The router rejected {MessageId} from queue {Queue}: {Error}", reading.MessageId, queue, error);
                        await channel.BasicNackAsync(reading.DeliveryTag, multiple: false, requeue: false);
                        tally.Rejected++;
                        break;
                }
            }
            if (lastAccepted > 0)
            {
                // Every earlier tag of this channel is in this batch or was settled with an earlier one: one ack covers the batch.
                await channel.BasicAckAsync(lastAccepted, multiple: true);
            }
            logger.Debug("Handed off {Count} messages from queue {Queue}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
                batch.Count, queue, tally.Accepted, tally.Duplicates, tally.Rejected);
            return tally;
        }
        catch (Exception e)
        {
            logger.Warning(e, "Hand-off of {Count} messages from queue {Queue} failed; they go back to the queue", batch.Count, queue);
            await ReturnAsync(channel, batch[^1].DeliveryTag);
            throw;
        }
    }

    private async Task ReturnAsync(IChannel channel, ulong lastTag)
    {
        try
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true);
        }
        catch (Exception e)
        {
            // The channel is gone (or the last tag was settled already, which closes it): either way the broker requeues what is unacknowledged.
            logger.Debug("Returning messages to queue {Queue} failed: {Error}", queue, e.Message);
        }
    }

    private async Task WarnAboutDeadLettersOnceAsync(CancellationToken cancellationToken)
    {
        if (warnedAboutDeadLetters)
        {
            return;
        }
        warnedAboutDeadLetters = true;
        if (options.DeadLetterExchange is not { } exchange)
        {
            logger.Warning(
                "Endpoint {EndpointId}: messages from queue {Queue} that cannot be read (malformed JSON, no message_id) are journalled and rejected without requeue. " +
                "Unless the queue has a dead-letter exchange (x-dead-letter-exchange or a policy), RabbitMQ then discards them and only the journal entry remains. " +
                "Give the queue a dead-letter exchange and name it in 'deadLetterExchange'", Id, queue);
            return;
        }
        var channel = await channels.GetAsync(cancellationToken);
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            logger.Warning("Endpoint {EndpointId}: the dead-letter exchange {Exchange} named for queue {Queue} does not exist: rejected messages would be discarded",
                Id, exchange, queue);
        }
    }

    private struct HandOffTally
    {
        public int Accepted;
        public int Duplicates;
        public int Rejected;

        public static HandOffTally operator +(HandOffTally a, HandOffTally b) => new()
        {
            Accepted = a.Accepted + b.Accepted,
            Duplicates = a.Duplicates + b.Duplicates,
            Rejected = a.Rejected + b.Rejected,
        };
    }
}
