namespace Router.Transformers.Templates;

/// <summary>The keys of <c>Notification.Data</c> the saga fills and the templates may read (documented in config/templates/README.md).</summary>
public static class NotificationData
{
    public const string OrderNumber = "orderNumber";
    public const string CustomerName = "customerName";

    /// <summary>An invariant decimal string (<c>1234.50</c>); templates format it with the <c>rub</c> filter.</summary>
    public const string Amount = "amount";

    public const string PaymentUrl = "paymentUrl";
    public const string Carrier = "carrier";
    public const string TrackingNumber = "trackingNumber";
    public const string PickupPointId = "pickupPointId";
    public const string PickupPointAddress = "pickupPointAddress";
    public const string Reason = "reason";

    public static readonly IReadOnlyList<string> Keys =
        [OrderNumber, CustomerName, Amount, PaymentUrl, Carrier, TrackingNumber, PickupPointId, PickupPointAddress, Reason];

    /// <summary>Every key filled with a plausible value: what a template is trial-rendered with when it is loaded.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sample = new Dictionary<string, string>
    {
        [OrderNumber] = "1001",
        [CustomerName] = "Анна",
        [Amount] = "1234.50",
        [PaymentUrl] = "https://yoomoney.ru/checkout/payments/v2/contract?orderId=1",
        [Carrier] = "СДЭК",
        [TrackingNumber] = "1234567890",
        [PickupPointId] = "MSK123",
        [PickupPointAddress] = "Москва, ул. Тверская, 1",
        [Reason] = "оплата не поступила",
    };
}
