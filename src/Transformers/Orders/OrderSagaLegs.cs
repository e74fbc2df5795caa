namespace Router.Transformers.Orders;

/// <summary>The last part of the message id of each command about an order (<c>order:1001/payment</c>): one per thing done, at most once.</summary>
public static class OrderSagaLegs
{
    public const string Payment = "payment";
    public const string PaymentCancel = "payment-cancel";
    public const string Refund = "refund";
    public const string Shipment = "shipment";
    public const string ShipmentCancel = "shipment-cancel";
    public const string OneCOrder = "onec";
    public const string OneCCancel = "onec-cancel";
}
