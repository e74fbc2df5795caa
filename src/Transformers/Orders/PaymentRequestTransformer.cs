using Router.Core.Canonical;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Orders;

/// <summary><c>- payment-request: { returnUrl: "https://shop/orders/{number}" }</c>: order.created → payment.requested.</summary>
public sealed class PaymentRequestTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "payment-request";

    public string Name => TransformerName;

    public string Description => "order.created → payment.requested for the order total, with receipt lines (incl. delivery) and the buyer's contacts";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(OrderCommandOptions.PaymentProperties);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context) =>
        new PaymentRequestTransformer(OrderCommandOptions.ReadPayment(OrderCommandOptions.MappingOf(options, TransformerName)));
}

internal sealed class PaymentRequestTransformer(PaymentRequestOptions options) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        OrderInput.RequireType(input, PaymentRequestTransformerFactory.TransformerName, MessageTypes.OrderCreated);
        var order = OrderInput.Read<Order>(input, PaymentRequestTransformerFactory.TransformerName);
        var request = PaymentRequestBuilder.Build(order, options);
        return [OrderInput.Command(input, order.Number, OrderSagaLegs.Payment, MessageTypes.PaymentRequested, request)];
    }
}
