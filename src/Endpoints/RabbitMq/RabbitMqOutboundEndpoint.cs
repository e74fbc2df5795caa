using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Router.Core.Endpoints;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Shared;
using Serilog;

namespace Router.Endpoints.RabbitMq;

/// <summary>
/// Publishes each canonical event to an exchange: persistent, mandatory, with publisher confirms, and with the
/// delivery's idempotency key as AMQP <c>message_id</c>, so consumers can drop the copy a retry may repeat. A
/// delivery counts only when the broker confirmed it; a nack, a return (no queue bound for the routing key) or a
/// missing confirm is a transient failure: retried, then deferred, then dead-lettered — never counted as delivered.
/// </summary>
/// <remarks>
/// The plan shows the AMQP properties as pseudo-headers (<c>:exchange</c>, <c>:routing-key</c>, <c>:message-id</c>…)
/// next to the real AMQP headers, so <c>router preview</c> shows exactly what is published.
/// </remarks>
public sealed class RabbitMqOutboundEndpoint : IOutboundEndpoint, IDisposable
{
    public const string PlanKind = "amqp";
    public const string ExchangeKey = ":exchange";
    public const string RoutingKeyKey = ":routing-key";
    public const string MessageIdKey = ":message-id";
    public const string TypeKey = ":type";
    public const string CorrelationIdKey = ":correlation-id";
    public const string TimestampKey = ":timestamp";
    public const string ContentType = "application/json";

    private static readonly CreateChannelOptions ConfirmingChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true,
        outstandingPublisherConfirmationsRateLimiter: null);

    private readonly RabbitMqEndpointOptions options;
    private readonly ILogger logger;
    private readonly AmqpChannelHolder channels;

    public RabbitMqOutboundEndpoint(string id, RabbitMqEndpointOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        logger = services.Logger.ForContext<RabbitMqOutboundEndpoint>().ForContext("EndpointId", id);
        channels = new AmqpChannelHolder(options, $"router outbound {id}", ConfirmingChannel, logger);
    }

    public string Id { get; }

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var routingKey = options.RoutingKeyExpression is { } expression
            ? expression.EvaluateString(MessageScope.Of(envelope))
                ?? throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"routing key expression '{expression}' found nothing for {envelope.MessageId}")
            : options.RoutingKey ?? "";
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ExchangeKey] = options.Exchange,
            [RoutingKeyKey] = routingKey,
            [MessageIdKey] = context.IdempotencyKey,
            [TypeKey] = envelope.Type,
            [CorrelationIdKey] = envelope.EffectiveCorrelationId,
            [TimestampKey] = envelope.OccurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["router-message-id"] = envelope.MessageId,
            ["router-source"] = envelope.Source,
        };
        if (envelope.EntityKey is { } entityKey)
        {
            headers["router-entity-key"] = entityKey;
        }
        foreach (var (name, value) in envelope.Headers)
        {
            headers.TryAdd(name, value);
        }
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = "publish",
            Target = $"{options.DisplayBroker} exchange '{options.Exchange}' routing key '{routingKey}'",
            Headers = headers,
            ContentType = ContentType,
            Body = DeliveryBody.Serialize(envelope, options.Body),
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        var exchange = plan.Headers[ExchangeKey];
        var routingKey = plan.Headers[RoutingKeyKey];
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = plan.ContentType,
            MessageId = plan.Headers[MessageIdKey],
            Type = plan.Headers[TypeKey],
            CorrelationId = plan.Headers[CorrelationIdKey],
            Timestamp = new AmqpTimestamp(long.Parse(plan.Headers[TimestampKey], CultureInfo.InvariantCulture)),
            Headers = plan.Headers.Where(h => !h.Key.StartsWith(':')).ToDictionary(h => h.Key, h => (object?)Encoding.UTF8.GetBytes(h.Value)),
        };
        IChannel channel;
        try
        {
            channel = await channels.GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new TransientFailureException($"cannot reach RabbitMQ at {options.DisplayBroker}: {e.GetBaseException().Message}", e);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConfirmTimeout);
        try
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, plan.Body, timeout.Token);
        }
        catch (PublishException e) when (e.IsReturn)
        {
            throw new TransientFailureException($"RabbitMQ returned the message: exchange '{exchange}' has no queue bound for routing key '{routingKey}'", e);
        }
        catch (PublishException e)
        {
            throw new TransientFailureException($"RabbitMQ refused the message (nack) on exchange '{exchange}'", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The channel still owes the confirm: do not reuse it for the next delivery.
            await channels.ResetAsync();
            throw new TransientFailureException($"RabbitMQ did not confirm the message within {options.ConfirmTimeout.TotalSeconds:0.###} s; it may or may not have been published (message_id {properties.MessageId} lets consumers drop a repeat)", e);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            await channels.ResetAsync();
            throw new TransientFailureException($"the channel to {options.DisplayBroker} closed before the confirm: {e.Message}", e);
        }
        logger.Debug("Published {MessageId} to {Exchange} with routing key {RoutingKey}", properties.MessageId, exchange, routingKey);
        return new DeliveryReceipt($"published to exchange '{exchange}' with routing key '{routingKey}', confirmed");
    }

    public void Dispose() => channels.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
