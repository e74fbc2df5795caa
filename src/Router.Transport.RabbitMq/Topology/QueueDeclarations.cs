using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Rebus.Logging;

namespace Router.Transport.RabbitMq.Topology;

/// <summary>
/// The broker objects the transport relies on: the direct, topic and delay exchanges, durable queues (classic or
/// quorum) bound to the direct exchange under their own names, and the delay queues. Each is declared once per
/// transport (declarations are idempotent on the broker, so other hosts declaring the same is fine).
/// </summary>
internal sealed class QueueDeclarations(TopologyChannel channel, RabbitMqTransportOptions options, ILog log)
{
    private readonly ConcurrentDictionary<string, bool> declaredQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> knownQueues = new(StringComparer.Ordinal);
    private volatile bool exchangesDeclared;

    public string QueueType => options.Quorum ? "quorum" : "classic";

    public async Task DeclareExchangesAsync(CancellationToken cancellationToken)
    {
        if (exchangesDeclared)
        {
            return;
        }
        await channel.RunAsync(async (c, ct) =>
        {
            await c.ExchangeDeclareAsync(options.DirectExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
            await c.ExchangeDeclareAsync(options.TopicExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
            await c.ExchangeDeclareAsync(options.DelayExchange, ExchangeType.Headers, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        exchangesDeclared = true;
    }

    /// <summary>Declares a durable queue bound to the direct exchange under its name; returns its ready-message count.</summary>
    /// <param name="acceptOtherType">
    /// For queues Rebus creates for itself (error, audit): one that already exists with other settings (say classic,
    /// while this transport declares quorum) is used as it is, with a warning. An input queue must match: whether
    /// deliveries are counted depends on its type.
    /// </param>
    public async Task<uint> DeclareQueueAsync(string queue, CancellationToken cancellationToken, bool acceptOtherType = false)
    {
        await DeclareExchangesAsync(cancellationToken).ConfigureAwait(false);
        QueueDeclareOk ok;
        try
        {
            ok = await channel.RunAsync(async (c, ct) =>
            {
                var declared = await c.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                    arguments: QueueArguments(), cancellationToken: ct).ConfigureAwait(false);
                await c.QueueBindAsync(queue, options.DirectExchange, queue, cancellationToken: ct).ConfigureAwait(false);
                return declared;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.PreconditionFailed && acceptOtherType)
        {
            log.Warn("Queue {queue} already exists with other settings than this transport declares (a durable {type} queue); using it as it is: {reason}",
                queue, QueueType, e.ShutdownReason.ReplyText);
            ok = await channel.RunAsync(async (c, ct) =>
            {
                var existing = await c.QueueDeclarePassiveAsync(queue, ct).ConfigureAwait(false);
                await c.QueueBindAsync(queue, options.DirectExchange, queue, cancellationToken: ct).ConfigureAwait(false);
                return existing;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            throw new InvalidOperationException(
                $"queue '{queue}' already exists with other settings than this transport declares (a durable {QueueType} queue): {e.ShutdownReason.ReplyText}", e);
        }
        declaredQueues[queue] = true;
        knownQueues[queue] = true;
        return ok.MessageCount;
    }

    public async Task EnsureQueueDeclaredAsync(string queue, CancellationToken cancellationToken)
    {
        if (!declaredQueues.ContainsKey(queue))
        {
            await DeclareQueueAsync(queue, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ready messages of an existing queue (passive declare); null when there is no such queue.</summary>
    public async Task<uint?> ReadyCountAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            var ok = await channel.RunAsync((c, ct) => c.QueueDeclarePassiveAsync(queue, ct), cancellationToken).ConfigureAwait(false);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Fails unless <paramref name="queue"/> exists. Deferred messages reach their queue by dead-lettering, which
    /// drops what it cannot route; so the queue is checked when the message is deferred, not when it is due.
    /// </summary>
    public async Task RequireQueueAsync(string queue, CancellationToken cancellationToken)
    {
        if (knownQueues.ContainsKey(queue))
        {
            return;
        }
        if (await ReadyCountAsync(queue, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new RabbitMqPublishException($"cannot defer a message to '{queue}': there is no such queue (deferred messages are dead-lettered to their queue when due, and RabbitMQ drops what it cannot route then)");
        }
        knownQueues[queue] = true;
    }

    /// <summary>
    /// The delay queue holding messages for <paramref name="delayMs"/>, dead-lettering them to the direct exchange when
    /// due; returns its name, which is also the value of the header the delay exchange routes on.
    /// </summary>
    public async Task<string> EnsureDelayQueueAsync(long delayMs, CancellationToken cancellationToken)
    {
        var queue = Deferral.DelayBuckets.QueueName(options.DelayExchange, delayMs, options.Quorum);
        if (declaredQueues.ContainsKey(queue))
        {
            return queue;
        }
        await DeclareExchangesAsync(cancellationToken).ConfigureAwait(false);
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = delayMs,
            // No dead-letter routing key: a message keeps the one it was published with, its recipient queue's name.
            ["x-dead-letter-exchange"] = options.DirectExchange,
        };
        if (options.Quorum)
        {
            arguments["x-queue-type"] = "quorum";
            // Quorum queues can dead-letter at-least-once (kept until the target confirms); it requires reject-publish.
            arguments["x-dead-letter-strategy"] = "at-least-once";
            arguments["x-overflow"] = "reject-publish";
        }
        var binding = new Dictionary<string, object?> { ["x-match"] = "all", [Deferral.DelayBuckets.Header] = queue };
        await channel.RunAsync(async (c, ct) =>
        {
            await c.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct).ConfigureAwait(false);
            await c.QueueBindAsync(queue, options.DelayExchange, "", binding, cancellationToken: ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        declaredQueues[queue] = true;
        return queue;
    }

    public Task BindToTopicAsync(string queue, string topic, string exchange, CancellationToken cancellationToken) =>
        channel.RunAsync((c, ct) => c.QueueBindAsync(queue, exchange, topic, cancellationToken: ct), cancellationToken);

    public Task UnbindFromTopicAsync(string queue, string topic, string exchange, CancellationToken cancellationToken) =>
        channel.RunAsync((c, ct) => c.QueueUnbindAsync(queue, exchange, topic, cancellationToken: ct), cancellationToken);

    public Task<uint> PurgeAsync(string queue, CancellationToken cancellationToken) =>
        channel.RunAsync((c, ct) => c.QueuePurgeAsync(queue, ct), cancellationToken);

    public Task DeleteQueueAsync(string queue, CancellationToken cancellationToken) =>
        channel.RunAsync((c, ct) => c.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: ct), cancellationToken);

    private Dictionary<string, object?> QueueArguments()
    {
        var arguments = new Dictionary<string, object?>(options.QueueArguments, StringComparer.Ordinal);
        if (options.Quorum)
        {
            arguments["x-queue-type"] = "quorum";
        }
        return arguments;
    }
}
