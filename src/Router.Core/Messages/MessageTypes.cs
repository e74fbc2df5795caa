namespace Router.Core.Messages;

/// <summary>The canonical message types. A route or endpoint naming any other type is a configuration error.</summary>
public static class MessageTypes
{
    public const string CatalogProduct = "catalog.product";
    public const string CatalogOffer = "catalog.offer";
    public const string CustomerUpserted = "customer.upserted";
    public const string OrderCreated = "order.created";
    public const string OrderUpdated = "order.updated";
    public const string OrderStatus = "order.status";
    public const string OrderCancelled = "order.cancelled";
    public const string PaymentRequested = "payment.requested";
    public const string PaymentCaptureRequested = "payment.capture-requested";
    public const string PaymentCancelRequested = "payment.cancel-requested";
    public const string PaymentStatusChanged = "payment.status-changed";
    public const string RefundRequested = "refund.requested";
    public const string RefundStatusChanged = "refund.status-changed";
    public const string ShipmentRequested = "shipment.requested";
    public const string ShipmentCancelRequested = "shipment.cancel-requested";
    public const string ShipmentStatusChanged = "shipment.status-changed";
    public const string PickupPointsUpdated = "pickup-points.updated";
    public const string NotificationRequested = "notification.requested";
    public const string FileReceived = "file.received";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CatalogProduct, CatalogOffer, CustomerUpserted, OrderCreated, OrderUpdated, OrderStatus, OrderCancelled,
        PaymentRequested, PaymentCaptureRequested, PaymentCancelRequested, PaymentStatusChanged, RefundRequested, RefundStatusChanged,
        ShipmentRequested, ShipmentCancelRequested, ShipmentStatusChanged,
        PickupPointsUpdated, NotificationRequested, FileReceived,
    };

    public static bool IsKnown(string type) => All.Contains(type);
}
