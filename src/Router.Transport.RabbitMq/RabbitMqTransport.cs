using System.Collections.Concurrent;
using System.Globalization;
using Rebus.Bus;
using Rebus.Logging;
using Rebus.Messages;
using Rebus.Subscriptions;
using Rebus.Transport;
using Router.Transport.RabbitMq.Connections;
using Router.Transport.Common.Deferral;
using Router.Transport.RabbitMq.Deferral;
using Router.Transport.RabbitMq.Messages;
using Router.Transport.RabbitMq.Publishing;
using Router.Transport.RabbitMq.Receiving;
using Router.Transport.RabbitMq.Signals;
using Router.Transport.Common.Signals;
using Router.Transport.RabbitMq.Topology;

namespace Router.Transport.RabbitMq;

/// <summary>
/// A Rebus transport on RabbitMQ.Client 7: durable (optionally quorum) queues bound to a direct exchange, a topic
/// exchange for publish/subscribe, a transaction's sends published together on commit and counted as sent only once
/// the broker confirmed every one, manual acks after the commit, a pushing consumer with a local buffer, native
/// deferral through delay queues, and its own reconnects.
/// </summary>
/// <remarks>
/// <para>Two connections: one consumes and declares, one publishes (a broker alarm blocks publishing connections, and
/// must not stall the acks). Neither uses the client's automatic recovery: when a channel or connection is lost, the
/// consumer is opened anew and the messages the old channel had not acknowledged are simply delivered again by the
/// broker; they are never acknowledged on another channel.</para>
/// <para>At-least-once: a message whose ack is lost (the channel closed after its handler's sends were confirmed) is
/// delivered again, so handlers must be idempotent (the router's inbox is).</para>
/// <para>Constructed directly (tests, tools), call <see cref="Initialize"/> before use; Rebus does so itself.</para>
/// </remarks>
public sealed class RabbitMqTransport : AbstractRebusTransport, IInitializable, IDisposable, ITransportInspector, ISubscriptionStorage, ISignalledReceiver
{
    private readonly RabbitMqTransportOptions options;
    private readonly ILog log;
    private readonly ConnectionKeeper controlConnection;
    private readonly ConnectionKeeper publishConnection;
    private readonly TopologyChannel topologyChannel;
    private readonly QueueDeclarations declarations;
    private readonly ConfirmedPublisher publisher;
    private readonly InputQueueConsumer? consumer;
    private int initialized;
    private int disposed;

    /// <param name="connectionString"><c>amqp://user:password@host:port/vhost</c>; never logged with its password.</param>
    /// <param name="inputQueueName">The queue this transport receives from; null for a one-way client.</param>
    public RabbitMqTransport(string connectionString, string? inputQueueName, RabbitMqTransportOptions? options = null,
        IRebusLoggerFactory? loggerFactory = null)
        : base(inputQueueName)
    {
        this.options = options ?? new RabbitMqTransportOptions();
        log = (loggerFactory ?? new NullLoggerFactory()).GetLogger<RabbitMqTransport>();
        var broker = AmqpConnectionString.Parse(connectionString);
        var name = $"{this.options.ClientName} {inputQueueName ?? "one-way client"}";
        controlConnection = new ConnectionKeeper(broker, name + " (consume)", log);
        publishConnection = new ConnectionKeeper(broker, name + " (publish)", log);
        topologyChannel = new TopologyChannel(controlConnection, log);
        declarations = new QueueDeclarations(topologyChannel, this.options, log);
        publisher = new ConfirmedPublisher(publishConnection, this.options.ConfirmTimeoutValue, this.options.PublishingChannelCount, log);
        consumer = inputQueueName is null ? null : new InputQueueConsumer(controlConnection, declarations, inputQueueName, this.options, log);
    }

    /// <summary>The broker, password masked.</summary>
    public string Broker => controlConnection.Display;

    internal RabbitMqTransportOptions Options => options;

    /// <summary>Set just before a receive slot frees up; <see cref="SignalledBackoffStrategy"/> waits on it.</summary>
    public WorkSlotSignal WorkSlots { get; } = new();

    /// <summary>How many consumer channels this transport has opened (1 until it had to reconnect); for tests.</summary>
    internal long ConsumerSessionsOpened => consumer?.SessionsOpened ?? 0;

    private string InputQueue => Address ?? throw new InvalidOperationException("a one-way client has no input queue to receive from");

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Declares a durable queue bound to the direct exchange under its name (Rebus calls this for the error queue).</summary>
    public override void CreateQueue(string address) =>
        // Rebus's CreateQueue is synchronous: called at start-up only.
        declarations.DeclareQueueAsync(address, CancellationToken.None, acceptOtherType: true).GetAwaiter().GetResult();

    /// <summary>Declares the exchanges and, for a receiver, its input queue: the broker must be reachable.</summary>
    public void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) != 0)
        {
            return;
        }
        // IInitializable is synchronous: the one place the transport waits for the broker on the caller's thread.
        InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await declarations.DeclareExchangesAsync(cancellationToken).ConfigureAwait(false);
        if (Address is not null)
        {
            await declarations.DeclareQueueAsync(Address, cancellationToken).ConfigureAwait(false);
        }
        log.Info("RabbitMQ transport {queue} on {broker} ({type} queues, prefetch {prefetch}, confirm timeout {timeout})",
            Address ?? "(one-way client)", Broker, declarations.QueueType, options.PrefetchCount, options.ConfirmTimeoutValue);
    }

    /// <summary>
    /// Hands out the next buffered delivery of the input queue; null at once when none is buffered (the back-off then
    /// waits for the consumer's arrival signal — see <see cref="SignalledBackoffStrategy"/>).
    /// </summary>
    public override async Task<TransportMessage?> Receive(ITransactionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = InputQueue;
        cancellationToken.ThrowIfCancellationRequested();
        await consumer!.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        while (consumer.TryTake(out var delivery))
        {
            if (delivery.HasExpired(NowMs))
            {
                // Pushed to us before its time ran out, but not handled in time: the same as expiring in the queue.
                log.Debug("Message {id} in {queue} expired before it was handled; dropped", delivery.MessageId, queue);
                await delivery.Session.AckAsync(delivery.DeliveryTag).ConfigureAwait(false);
                options.InFlight.Add(queue, -1);
                continue;
            }
            ReceivedDeliveryTransaction.Begin(this, delivery, context);
            return delivery.ToTransportMessage();
        }
        return null;
    }

    /// <summary>
    /// Called by Rebus on commit with everything the transaction sent: publishes them as one batch and returns only
    /// when the broker confirmed all of them; otherwise throws, and Rebus rolls back (the received message comes again).
    /// </summary>
    protected override async Task SendOutgoingMessages(IEnumerable<OutgoingTransportMessage> outgoingMessages, ITransactionContext context)
    {
        var messages = TakeAll(outgoingMessages);
        if (messages.Count == 0)
        {
            return;
        }
        var now = NowMs;
        var batch = new List<PublishRequest>(messages.Count);
        foreach (var message in messages)
        {
            batch.Add(await ToRequestAsync(message, now).ConfigureAwait(false));
        }
        await publisher.PublishAsync(batch, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<Dictionary<string, object>> GetProperties(CancellationToken cancellationToken)
    {
        var queue = InputQueue;
        var ready = await declarations.ReadyCountAsync(queue, cancellationToken).ConfigureAwait(false) ?? 0;
        var inFlight = options.InFlight.Of(queue);
        return new Dictionary<string, object>
        {
            // Ready in the broker plus held unacknowledged by this process's receivers (other hosts' are not seen).
            [TransportInspectorPropertyKeys.QueueLength] = (ready + inFlight).ToString(CultureInfo.InvariantCulture),
            ["ready"] = ready.ToString(CultureInfo.InvariantCulture),
            ["in-flight"] = inFlight.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Ready messages of any queue; null when it does not exist.</summary>
    public Task<uint?> GetReadyCountAsync(string queue, CancellationToken cancellationToken) =>
        declarations.ReadyCountAsync(queue, cancellationToken);

    /// <summary>Declares <paramref name="queue"/> (durable, bound to the direct exchange) if this transport has not yet.</summary>
    public Task DeclareQueueAsync(string queue, CancellationToken cancellationToken) =>
        declarations.EnsureQueueDeclaredAsync(queue, cancellationToken);

    /// <summary>Removes every ready message of <paramref name="queue"/>; returns how many.</summary>
    public Task<uint> PurgeAsync(string queue, CancellationToken cancellationToken) => declarations.PurgeAsync(queue, cancellationToken);

    /// <summary>Deletes <paramref name="queue"/> with its messages (tests and tools).</summary>
    public Task DeleteQueueAsync(string queue, CancellationToken cancellationToken) => declarations.DeleteQueueAsync(queue, cancellationToken);

    // ------------------------------------------------------------------ publish/subscribe (centralised, no storage)

    /// <summary>Subscriptions are bindings on the broker: anyone can publish, no lookup table.</summary>
    public bool IsCentralized => true;

    /// <summary>One address: the topic on the topic exchange, which copies the message to every bound queue.</summary>
    public Task<IReadOnlyList<string>> GetSubscriberAddresses(string topic) =>
        Task.FromResult<IReadOnlyList<string>>([TopicAddress(topic).ToString()]);

    public Task RegisterSubscriber(string topic, string subscriberAddress)
    {
        var address = TopicAddress(topic);
        return declarations.BindToTopicAsync(subscriberAddress, address.RoutingKey, address.Exchange, CancellationToken.None);
    }

    public Task UnregisterSubscriber(string topic, string subscriberAddress)
    {
        var address = TopicAddress(topic);
        return declarations.UnbindFromTopicAsync(subscriberAddress, address.RoutingKey, address.Exchange, CancellationToken.None);
    }

    /// <summary>
    /// Closes the consumer first (the broker takes back what was prefetched and not acknowledged), then the connections.
    /// Rebus stops its workers before it disposes the transport.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        // IDisposable is all Rebus honours: wait here for the transport's last broker work.
        DisposeAsync().GetAwaiter().GetResult();
    }

    private async Task DisposeAsync()
    {
        if (consumer is not null)
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }
        await publisher.DisposeAsync().ConfigureAwait(false);
        await topologyChannel.DisposeAsync().ConfigureAwait(false);
        await publishConnection.DisposeAsync().ConfigureAwait(false);
        await controlConnection.DisposeAsync().ConfigureAwait(false);
    }

    TimeSpan ISignalledReceiver.IdleSlotWait => options.IdleWaitCap;

    TimeSpan ISignalledReceiver.BusySlotWait => options.BusyWaitCap;

    TimeSpan ISignalledReceiver.ErrorBackoff => options.ErrorBackoffValue;

    public Task WaitForMessagesAsync(CancellationToken cancellationToken) =>
        consumer is null ? Task.Delay(options.IdleWaitCap, cancellationToken) : consumer.WaitForArrivalAsync(options.IdleWaitCap, cancellationToken);

    internal void OnDeliveryDone()
    {
        options.InFlight.Add(InputQueue, -1);
        WorkSlots.Set();
    }

    private async Task<PublishRequest> ToRequestAsync(OutgoingTransportMessage outgoing, long now)
    {
        // A copy: the same TransportMessage may be sent to several destinations.
        var headers = new Dictionary<string, string>(outgoing.TransportMessage.Headers, StringComparer.Ordinal);
        var body = outgoing.TransportMessage.Body;
        if (NativeDeferral.TryTakeDeferral(headers, outgoing.DestinationAddress, out var recipient, out var dueTime))
        {
            if (recipient.Contains('@'))
            {
                throw new NotSupportedException($"cannot defer a message to '{recipient}': deferred messages go to queues, not to exchanges");
            }
            var delay = dueTime - DateTimeOffset.UtcNow;
            if (delay > TimeSpan.Zero)
            {
                return await DeferredRequestAsync(headers, body, recipient, dueTime, delay, now).ConfigureAwait(false);
            }
            return new PublishRequest(Topology.Address.Parse(recipient, options.DirectExchange), Mandatory: true, HeaderMapping.ToProperties(headers, now), body);
        }
        var address = Topology.Address.Parse(outgoing.DestinationAddress, options.DirectExchange);
        // A publish nobody subscribed to is not an error; a send to a queue that is not there is.
        var isPublish = headers.TryGetValue(Headers.Intent, out var intent) && intent == Headers.IntentOptions.PublishSubscribe;
        return new PublishRequest(address, Mandatory: !isPublish, HeaderMapping.ToProperties(headers, now), body);
    }

    private async Task<PublishRequest> DeferredRequestAsync(Dictionary<string, string> headers, byte[] body, string recipient,
        DateTimeOffset dueTime, TimeSpan delay, long now)
    {
        var delayQueue = await declarations.EnsureDelayQueueAsync(DelayBuckets.RoundUp(delay), CancellationToken.None).ConfigureAwait(false);
        await declarations.RequireQueueAsync(recipient, CancellationToken.None).ConfigureAwait(false);
        // Time to be received counts from the due time (as when Rebus's timeout manager sends it then), and is checked
        // by the receiver: an AMQP expiration would make the delay queue dead-letter it early.
        long? expiresAt = headers.TryGetValue(Headers.TimeToBeReceived, out var ttl)
            ? dueTime.ToUnixTimeMilliseconds() + (long)HeaderMapping.ParseTimeToBeReceived(ttl).TotalMilliseconds
            : null;
        var properties = HeaderMapping.ToProperties(headers, now, expiresAt, setExpiration: false);
        properties.Headers![DelayBuckets.Header] = delayQueue;
        return new PublishRequest(new Address(options.DelayExchange, recipient), Mandatory: true, properties, body);
    }

    private Address TopicAddress(string topic) => Topology.Address.Parse(topic, options.TopicExchange);

    /// <summary>Rebus hands over its own collection; emptying it makes sure nothing is published twice.</summary>
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
