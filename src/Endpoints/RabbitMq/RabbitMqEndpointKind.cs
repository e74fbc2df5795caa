using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Shared;

namespace Router.Endpoints.RabbitMq;

/// <summary>
/// A source or partner system on RabbitMQ (not the router's own transport): inbound reads plain-JSON messages from
/// its queue, outbound publishes canonical events to an exchange.
/// </summary>
public sealed class RabbitMqEndpointKind : IEndpointKind
{
    public const string Name = "rabbitmq";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(RabbitMqOptionKeys.Connection, new StringSchema
        {
            Secret = true,
            Description = "The broker: amqp://user:password@host:5672/vhost. Use ${env:…}; the password is never shown.",
        }) { Required = true },
        new PropertySchema(RabbitMqOptionKeys.Queue, new StringSchema
        {
            Description = "Inbound: the source's queue of JSON messages (AMQP message_id, type, correlation_id and timestamp are used), consumed by every host (competing consumers). It must exist; the router does not declare it.",
        }),
        new PropertySchema(RabbitMqOptionKeys.Batch, new IntegerSchema
        {
            Minimum = 1,
            Maximum = 10_000,
            Description = "Inbound: the most messages handed to the router in one durable commit, then acknowledged together.",
            Default = RabbitMqEndpointOptions.DefaultBatch,
        }),
        new PropertySchema(RabbitMqOptionKeys.Prefetch, new IntegerSchema
        {
            Minimum = 1,
            Maximum = ushort.MaxValue,
            Description = "Inbound: unacknowledged messages the broker pushes ahead to this consumer (at least 'batch'); by default twice 'batch', so the next batch fills while one is handed off.",
        }),
        new PropertySchema(RabbitMqOptionKeys.Linger, new StringSchema
        {
            Format = StringFormat.Duration,
            Description = "Inbound: how long a batch that is not full waits for more messages before it is handed off anyway.",
            Default = "10ms",
        }),
        new PropertySchema(RabbitMqOptionKeys.DeadLetterExchange, new StringSchema
        {
            Description = "Inbound: the dead-letter exchange the queue is set up with. Unreadable messages are rejected without requeue and land there; without one RabbitMQ discards them (the journal keeps a record). Checked to exist when consuming starts.",
        }),
        new PropertySchema(RabbitMqOptionKeys.Exchange, new StringSchema
        {
            Description = "Outbound: the exchange to publish to; empty for the default exchange (the routing key is then a queue name).",
            Default = "",
        }),
        new PropertySchema(RabbitMqOptionKeys.RoutingKey, new StringSchema
        {
            Description = "Outbound: the routing key, as text.",
        }),
        new PropertySchema(RabbitMqOptionKeys.RoutingKeyExpression, new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "Outbound: an expression over the message giving the routing key, e.g. \"'order.' + $.status\" (instead of routingKey).",
        }),
        new PropertySchema(RabbitMqOptionKeys.Body, new StringSchema
        {
            Enum = BodyModes.Names,
            Description = "Outbound: publish the payload, or the whole envelope.",
            Default = BodyModes.Payload,
        }),
        new PropertySchema(RabbitMqOptionKeys.ConfirmTimeout, new StringSchema
        {
            Format = StringFormat.Duration,
            Description = "Outbound: how long to wait for the broker's publisher confirm; a missing confirm is a failed (retried) delivery.",
            Default = "30s",
        }))
    {
        Description = "A system on RabbitMQ: read its queue, or publish to its exchange.",
    };

    public string Kind => Name;

    public string Description => "A system on RabbitMQ: inbound consumes plain-JSON messages from a queue in batches (acked after the hand-off), outbound publishes confirmed, persistent events.";

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => Schema;

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        new RabbitMqInboundEndpoint(definition.Id, RabbitMqEndpointOptions.Read(definition.Options), services, idFromExpression: definition.MessageId is not null);

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new RabbitMqOutboundEndpoint(definition.Id, RabbitMqEndpointOptions.Read(definition.Options), services);
}
