using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Expressions;
using Router.Endpoints.Shared;

namespace Router.Endpoints.RabbitMq;

/// <summary>A <c>rabbitmq</c> endpoint's options, read after schema validation.</summary>
public sealed record RabbitMqEndpointOptions
{
    public const int DefaultBatch = 100;

    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(10);

    /// <summary><c>amqp://user:password@host:port/vhost</c>; a secret, shown only with its password masked.</summary>
    public required Uri Broker { get; init; }

    /// <summary>Inbound: the source system's queue (it must exist; the router does not declare queues it does not own).</summary>
    public string? Queue { get; init; }

    /// <summary>Inbound: at most this many messages per hand-off (one durable commit, then one acknowledgement).</summary>
    public int Batch { get; init; } = DefaultBatch;

    /// <summary>
    /// Inbound: unacknowledged deliveries the broker may push ahead; null means twice <see cref="Batch"/>, so the next
    /// batch fills while one is being handed off.
    /// </summary>
    public int? Prefetch { get; init; }

    /// <summary>Inbound: how long a batch that is not full waits for more deliveries before it is handed off anyway.</summary>
    public TimeSpan Linger { get; init; } = DefaultLinger;

    public ushort EffectivePrefetch => (ushort)Math.Min(ushort.MaxValue, Math.Max(Prefetch ?? 2 * Batch, Batch));

    /// <summary>Inbound: the dead-letter exchange the source queue is set up with, if the YAML says so (it cannot be read over AMQP).</summary>
    public string? DeadLetterExchange { get; init; }

    /// <summary>Outbound: where events are published; "" is the default exchange (the routing key is then a queue name).</summary>
    public string Exchange { get; init; } = "";

    public string? RoutingKey { get; init; }

    public MessageExpression? RoutingKeyExpression { get; init; }

    public BodyMode Body { get; init; } = BodyMode.Payload;

    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static RabbitMqEndpointOptions Read(ConfigMapping options)
    {
        var connection = options.GetRequiredString(RabbitMqOptionKeys.Connection);
        if (!Uri.TryCreate(connection.Trim(), UriKind.Absolute, out var broker) || (broker.Scheme != "amqp" && broker.Scheme != "amqps"))
        {
            // The value is a secret (it holds a password): say what is wrong without repeating it.
            throw new ConfigException(options[RabbitMqOptionKeys.Connection]!.Mark, "'connection' must be an amqp:// or amqps:// URI (amqp://user:password@host:5672/vhost)");
        }
        var expressionText = options.GetString(RabbitMqOptionKeys.RoutingKeyExpression);
        MessageExpression? expression = null;
        if (expressionText is not null && !MessageExpression.TryCompile(expressionText, out expression, out var error))
        {
            throw new ConfigException(options[RabbitMqOptionKeys.RoutingKeyExpression]!.Mark, $"'routingKeyExpression' is not a valid expression: {error!.Message}");
        }
        return new RabbitMqEndpointOptions
        {
            Broker = broker,
            Queue = options.GetString(RabbitMqOptionKeys.Queue),
            Batch = options.GetInt(RabbitMqOptionKeys.Batch, DefaultBatch),
            Prefetch = options.Contains(RabbitMqOptionKeys.Prefetch) ? options.GetInt(RabbitMqOptionKeys.Prefetch, 0) : null,
            Linger = options.GetDuration(RabbitMqOptionKeys.Linger, DefaultLinger),
            DeadLetterExchange = options.GetString(RabbitMqOptionKeys.DeadLetterExchange),
            Exchange = options.GetString(RabbitMqOptionKeys.Exchange, ""),
            RoutingKey = options.GetString(RabbitMqOptionKeys.RoutingKey),
            RoutingKeyExpression = expression,
            Body = BodyModes.Parse(options.GetString(RabbitMqOptionKeys.Body, BodyModes.Payload)),
            ConfirmTimeout = options.GetDuration(RabbitMqOptionKeys.ConfirmTimeout, TimeSpan.FromSeconds(30)),
        };
    }

    /// <summary>The broker as it may be shown: password masked.</summary>
    public string DisplayBroker
    {
        get
        {
            if (string.IsNullOrEmpty(Broker.UserInfo))
            {
                return Broker.ToString();
            }
            var user = Broker.UserInfo.Split(':', 2)[0];
            return new UriBuilder(Broker) { UserName = user, Password = Broker.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();
        }
    }
}
