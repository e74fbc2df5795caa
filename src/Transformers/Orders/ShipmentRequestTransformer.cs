using Router.Core.Canonical;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Orders;

/// <summary><c>- shipment-request: { carriers: { courier: cdek } }</c>: order.created → shipment.requested with the carrier for its delivery method.</summary>
public sealed class ShipmentRequestTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "shipment-request";

    public string Name => TransformerName;

    public string Description => "order.created → shipment.requested: carrier by delivery method, tariff, pickup point or address, recipient, one parcel";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(
    [
        new PropertySchema("carriers", new MapSchema(new StringSchema { Enum = ["cdek", "boxberry"] })
        {
            Description = "order.delivery.method → carrier; methods called cdek or boxberry need no entry",
        }),
        .. OrderCommandOptions.ShipmentProperties,
    ]);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context) =>
        new ShipmentRequestTransformer(OrderCommandOptions.ReadShipment(OrderCommandOptions.MappingOf(options, TransformerName)));
}

internal sealed class ShipmentRequestTransformer(ShipmentRequestOptions options) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        OrderInput.RequireType(input, ShipmentRequestTransformerFactory.TransformerName, MessageTypes.OrderCreated);
        var order = OrderInput.Read<Order>(input, ShipmentRequestTransformerFactory.TransformerName);
        var request = ShipmentRequestBuilder.Build(order, options);
        return [OrderInput.Command(input, order.Number, OrderSagaLegs.Shipment, MessageTypes.ShipmentRequested, request)];
    }
}
