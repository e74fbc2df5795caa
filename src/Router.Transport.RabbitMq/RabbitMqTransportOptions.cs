using Router.Transport.RabbitMq.Inspection;

namespace Router.Transport.RabbitMq;

/// <summary>
/// Settings of one <see cref="RabbitMqTransport"/>, returned by <c>UseRabbitMq(...)</c> for chaining; read when Rebus
/// creates the transport, so they may be set after the call.
/// </summary>
public sealed class RabbitMqTransportOptions
{
    private readonly Dictionary<string, object?> queueArguments = new(StringComparer.Ordinal);

    internal ushort PrefetchCount { get; private set; } = 50;
    internal bool Quorum { get; private set; }
    internal TimeSpan ConfirmTimeoutValue { get; private set; } = TimeSpan.FromSeconds(30);
    internal int PublishingChannelCount { get; private set; } = 2;
    internal string DirectExchange { get; private set; } = "router.direct";
    internal string TopicExchange { get; private set; } = "router.topics";
    internal string DelayExchange { get; private set; } = "router.delay";
    internal string ClientName { get; private set; } = "router";
    internal TimeSpan ReconnectDelayValue { get; private set; } = TimeSpan.FromSeconds(1);
    internal TimeSpan MaxReconnectDelay { get; private set; } = TimeSpan.FromSeconds(30);
    internal TimeSpan IdleWaitCap { get; private set; } = TimeSpan.FromSeconds(2);
    internal TimeSpan BusyWaitCap { get; private set; } = TimeSpan.FromMilliseconds(2);
    internal TimeSpan ErrorBackoffValue { get; private set; } = TimeSpan.FromSeconds(1);
    internal TimeSpan FirstReceiveWait { get; private set; } = TimeSpan.FromSeconds(2);
    internal InFlightCounts InFlight { get; private set; } = new();
    internal IReadOnlyDictionary<string, object?> QueueArguments => queueArguments;

    /// <summary>
    /// How many unacknowledged messages the broker pushes to this receiver ahead of its handlers (basic.qos, default 50).
    /// Keep it at least Rebus's parallelism, or slots sit idle waiting for the broker.
    /// </summary>
    public RabbitMqTransportOptions Prefetch(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ushort.MaxValue);
        PrefetchCount = (ushort)count;
        return this;
    }

    /// <summary>
    /// Declares the queues this transport creates as quorum queues (replicated, and they count deliveries: received
    /// messages carry <c>rbs2-delivery-count</c>, so Rebus's retry limit holds across hosts). Default: classic durable
    /// queues. A queue keeps the type it was first declared with; declaring it with another fails loudly.
    /// </summary>
    public RabbitMqTransportOptions QuorumQueues(bool enabled = true)
    {
        Quorum = enabled;
        return this;
    }

    /// <summary>
    /// How long a commit waits for the broker to confirm its messages (default 30 s). A confirm that does not come in
    /// time fails the commit (Rebus rolls back; the received message comes again): never counted as sent.
    /// </summary>
    public RabbitMqTransportOptions ConfirmTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ConfirmTimeoutValue = timeout;
        return this;
    }

    /// <summary>
    /// Confirming channels that concurrent commits share (default 2). More spread the client's per-channel write lock;
    /// fewer let the broker confirm more messages per frame.
    /// </summary>
    public RabbitMqTransportOptions PublishingChannels(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        PublishingChannelCount = count;
        return this;
    }

    /// <summary>Names of the exchanges for sends (direct), publishes (topic) and deferrals (headers).</summary>
    public RabbitMqTransportOptions ExchangeNames(string direct = "router.direct", string topics = "router.topics", string delay = "router.delay")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(direct);
        ArgumentException.ThrowIfNullOrWhiteSpace(topics);
        ArgumentException.ThrowIfNullOrWhiteSpace(delay);
        DirectExchange = direct;
        TopicExchange = topics;
        DelayExchange = delay;
        return this;
    }

    /// <summary>Shown in the broker's connection list, followed by the queue and the connection's purpose.</summary>
    public RabbitMqTransportOptions ConnectionName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ClientName = name;
        return this;
    }

    /// <summary>First wait before reconnecting after the broker went away (default 1 s); doubles up to 30 s while it stays away.</summary>
    public RabbitMqTransportOptions ReconnectDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.FromMilliseconds(10));
        ReconnectDelayValue = delay;
        MaxReconnectDelay = delay > MaxReconnectDelay ? delay : MaxReconnectDelay;
        return this;
    }

    /// <summary>Wait after a receive failed before the worker tries again (default 1 s).</summary>
    public RabbitMqTransportOptions ErrorBackoff(TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        ErrorBackoffValue = wait;
        return this;
    }

    /// <summary>An extra argument for every queue this transport declares (e.g. <c>x-max-length</c>).</summary>
    public RabbitMqTransportOptions QueueArgument(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        queueArguments[name] = value;
        return this;
    }

    /// <summary>Counts this transport's received-but-unacknowledged messages into <paramref name="counts"/>, shared with other transports.</summary>
    public RabbitMqTransportOptions CountInFlightIn(InFlightCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        InFlight = counts;
        return this;
    }
}
