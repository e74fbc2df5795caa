using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Transformers.Orders;

namespace Router.Endpoints.OrderSaga;

/// <summary>
/// <c>kind: order-saga</c>: the order's long-running process (payment → shipment and 1C → delivered, or
/// compensations). Routes deliver orders and partner events to it; it sends canonical commands to the endpoints
/// its options name.
/// </summary>
public sealed class OrderSagaEndpointKind : IEndpointKind, IDelegatingEndpointKind
{
    public const string Name = "order-saga";

    private static readonly ObjectSchema Schema = new(
    [
        new PropertySchema(OrderSagaOptionKeys.Payment, new StringSchema
        {
            Format = StringFormat.EndpointRef,
            Description = "Gets payment.requested, payment.cancel-requested and refund.requested (a yookassa endpoint).",
        }) { Required = true },
        new PropertySchema(OrderSagaOptionKeys.Carriers, new MapSchema(new StringSchema { Format = StringFormat.EndpointRef })
        {
            Description = "order.delivery.method → endpoint that gets shipment.requested and shipment.cancel-requested, e.g. { cdek: cdek, boxberry: boxberry }.",
        }) { Required = true },
        new PropertySchema(OrderSagaOptionKeys.OneC, new StringSchema
        {
            Format = StringFormat.EndpointRef,
            Description = "Gets the order (order.created) once it is paid, and order.cancelled if it is compensated after that.",
        }),
        new PropertySchema(OrderSagaOptionKeys.Notifications, new ObjectSchema(
            new PropertySchema("sms", new StringSchema { Format = StringFormat.EndpointRef, Description = "Gets notification.requested for the customer's phone." }),
            new PropertySchema("email", new StringSchema { Format = StringFormat.EndpointRef, Description = "Gets notification.requested for the customer's e-mail." }))
        {
            Description = "Where customer notifications go (order-accepted, order-paid, order-shipped, order-ready-for-pickup, order-cancelled).",
        }),
        new PropertySchema(OrderSagaOptionKeys.PaymentTimeout, new StringSchema
        {
            Format = StringFormat.Duration,
            Default = "30m",
            Description = "An order not paid this long after it was created is cancelled (compensated).",
        }),
        .. OrderCommandOptions.PaymentProperties,
        .. OrderCommandOptions.ShipmentProperties,
    ])
    {
        Description = "The order saga.",
    };

    public string Kind => Name;

    public string Description =>
        "The order saga: order.created → payment; paid → shipment and 1C; cancellation, payment timeout or a refused shipment → compensations, each once.";

    public EndpointDirections Directions => EndpointDirections.Outbound;

    public ObjectSchema OptionsSchema => Schema;

    public IEnumerable<ConfigScalar> DeliveryTargets(ConfigMapping options)
    {
        if (options[OrderSagaOptionKeys.Payment] is ConfigScalar { Value: not null } payment)
        {
            yield return payment;
        }
        foreach (var key in new[] { OrderSagaOptionKeys.Carriers, OrderSagaOptionKeys.Notifications })
        {
            if (options[key] is ConfigMapping map)
            {
                foreach (var entry in map.Entries)
                {
                    if (entry.Value is ConfigScalar { Value: not null } target)
                    {
                        yield return target;
                    }
                }
            }
        }
        if (options[OrderSagaOptionKeys.OneC] is ConfigScalar { Value: not null } onec)
        {
            yield return onec;
        }
    }

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        throw new InvalidOperationException($"endpoint '{definition.Id}': an order saga only receives deliveries from routes");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new OrderSagaEndpoint(definition.Id, OrderSagaOptions.Read(definition.Options), services.Logger);
}

internal static class OrderSagaOptionKeys
{
    public const string Payment = "payment";
    public const string Carriers = "carriers";
    public const string OneC = "onec";
    public const string Notifications = "notifications";
    public const string PaymentTimeout = "paymentTimeout";
}
