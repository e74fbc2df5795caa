using Router.Core.Transformers;

namespace Router.Transformers.Orders;

/// <summary>Transformers that turn orders and partner events into the canonical partner commands; the order saga builds with the same code.</summary>
public static class OrderTransformers
{
    public static IReadOnlyList<ITransformerFactory> All { get; } =
    [
        new PaymentRequestTransformerFactory(),
        new ShipmentRequestTransformerFactory(),
        new NotificationRequestTransformerFactory(),
    ];
}
