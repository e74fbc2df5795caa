using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Router.Core.Endpoints;
using Serilog;

namespace Router.Endpoints.RabbitMq;

/// <summary>
/// Takes a source system's messages from its queue in batches (basic.get, manual acknowledgement), hands them to the
/// router and acknowledges each only after the hand-off returned: a crash in between leaves them unacknowledged, so
/// the broker delivers them again and the router calls them duplicates. A message that cannot become one (malformed
/// JSON, no id) is journalled as rejected and then rejected without requeue, so the queue's dead-letter exchange
/// keeps it — where the source queue has none, RabbitMQ discards it and the journal entry is all that is left (the
/// endpoint warns about this once).
/// </summary>
/// <remarks>
/// Polled (every <c>poll</c>, default 1 s) rather than a push consumer: the router's inbound contract is a poll, and
/// <c>run --once</c> needs "take everything that is there now". Latency is at most the poll interval.
/// </remarks>
public sealed class RabbitMqInboundEndpoint : IInboundEndpoint, IDisposable
{
    private readonly RabbitMqEndpointOptions options;
    private readonly EndpointServices services;
    private readonly bool idFromExpression;
    private readonly ILogger logger;
    private readonly AmqpChannelHolder channels;
    private readonly SemaphoreSlim pollGate = new(1, 1);
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

    public TimeSpan? PollInterval => options.Poll;

    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        await pollGate.WaitAsync(cancellationToken);
        try
        {
            await WarnAboutDeadLettersOnceAsync(cancellationToken);
            int accepted = 0, duplicates = 0, rejected = 0;
            while (true)
            {
                var channel = await channels.GetAsync(cancellationToken);
                var batch = await TakeBatchAsync(channel, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }
                var tally = await HandOffAsync(sink, channel, batch, cancellationToken);
                accepted += tally.Accepted;
                duplicates += tally.Duplicates;
                rejected += tally.Rejected;
            }
            if (accepted + duplicates + rejected > 0)
            {
                logger.Information("Polled queue {Queue}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
                    queue, accepted, duplicates, rejected);
            }
            return new PollResult(accepted, duplicates, rejected, 0);
        }
        finally
        {
            pollGate.Release();
        }
    }

    public void Dispose() => channels.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<List<AmqpReading>> TakeBatchAsync(IChannel channel, CancellationToken cancellationToken)
    {
        var batch = new List<AmqpReading>(options.Batch);
        while (batch.Count < options.Batch)
        {
            BasicGetResult? delivery;
            try
            {
                delivery = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
            {
                throw new InvalidOperationException($"endpoint '{Id}': queue '{queue}' does not exist on {options.DisplayBroker}", e);
            }
            if (delivery is null)
            {
                break;
            }
            batch.Add(AmqpInboundReader.Read(queue, delivery, idFromExpression, services.MaxMessageSize));
        }
        return batch;
    }

    private async Task<(int Accepted, int Duplicates, int Rejected)> HandOffAsync(IInboundSink sink, IChannel channel, List<AmqpReading> batch,
        CancellationToken cancellationToken)
    {
        int accepted = 0, duplicates = 0, rejected = 0;
        foreach (var unreadable in batch.Where(r => r.Message is null))
        {
            // Journal first: if that fails the message stays unacknowledged and comes again, so no refusal goes unrecorded.
            await sink.RecordRejectedAsync(Id, $"queue {queue}", unreadable.MessageId, unreadable.Error!, cancellationToken);
            logger.Warning("Rejected {MessageId} from queue {Queue}: {Error}", unreadable.MessageId, queue, unreadable.Error);
            await channel.BasicRejectAsync(unreadable.DeliveryTag, requeue: false, cancellationToken);
            rejected++;
        }
        var readable = batch.Where(r => r.Message is not null).ToList();
        if (readable.Count == 0)
        {
            return (accepted, duplicates, rejected);
        }
        IReadOnlyList<HandOffResult> results;
        try
        {
            results = await sink.HandOffAsync(Id, readable.Select(r => r.Message!).ToList(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.Warning(e, "Hand-off of {Count} messages from queue {Queue} failed; they go back to the queue", readable.Count, queue);
            await ReturnAsync(channel, readable);
            throw;
        }
        // Only now is it safe to acknowledge the source.
        for (var i = 0; i < readable.Count; i++)
        {
            var reading = readable[i];
            switch (results[i].Status)
            {
                case HandOffStatus.Accepted:
                    await channel.BasicAckAsync(reading.DeliveryTag, multiple: false, cancellationToken);
                    accepted++;
                    break;
                case HandOffStatus.Duplicate:
                    await channel.BasicAckAsync(reading.DeliveryTag, multiple: false, cancellationToken);
                    duplicates++;
                    break;
                default:
                    var error = results[i].Error ?? "rejected by the router";
                    await sink.RecordRejectedAsync(Id, reading.Message!.Origin, reading.MessageId, error, cancellationToken);
                    logger.Warning("The router rejected {MessageId} from queue {Queue}: {Error}", reading.MessageId, queue, error);
                    await channel.BasicRejectAsync(reading.DeliveryTag, requeue: false, cancellationToken);
                    rejected++;
                    break;
            }
        }
        return (accepted, duplicates, rejected);
    }

    private async Task ReturnAsync(IChannel channel, List<AmqpReading> readings)
    {
        try
        {
            foreach (var reading in readings)
            {
                await channel.BasicNackAsync(reading.DeliveryTag, multiple: false, requeue: true);
            }
        }
        catch (Exception e)
        {
            // The channel is gone: the broker has requeued them already.
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
}
