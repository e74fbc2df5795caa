using System.Globalization;
using Router.Core.Canonical;

namespace Router.Transformers.Orders;

/// <summary>The templates under config/templates the notification endpoints render.</summary>
public static class NotificationTemplates
{
    public const string OrderAccepted = "order-accepted";
    public const string OrderPaid = "order-paid";
    public const string OrderShipped = "order-shipped";
    public const string OrderReadyForPickup = "order-ready-for-pickup";
    public const string OrderCancelled = "order-cancelled";

    public static readonly IReadOnlyList<string> All = [OrderAccepted, OrderPaid, OrderShipped, OrderReadyForPickup, OrderCancelled];
}

/// <summary>What a customer notification may tell: whatever is known about the order at that moment.</summary>
public sealed record NotificationFacts
{
    public required string OrderNumber { get; init; }
    public string? CustomerName { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public Money? Amount { get; init; }
    public string? PaymentUrl { get; init; }
    public string? Carrier { get; init; }
    public string? TrackingNumber { get; init; }
    public string? PickupPointId { get; init; }
    public string? Reason { get; init; }

    public static NotificationFacts Of(Order order) => new()
    {
        OrderNumber = order.Number,
        CustomerName = order.Customer.Name,
        Phone = order.Customer.Phone,
        Email = order.Customer.Email,
        Amount = order.Totals.Total,
        PickupPointId = order.Delivery?.PickupPointId,
    };
}

/// <summary>Facts and a template → one canonical <see cref="Notification"/> per channel the customer can be reached on.</summary>
public static class NotificationBuilder
{
    /// <summary>Null when the customer has no usable address on <paramref name="channel"/> (no phone, or one that is not a +7 number).</summary>
    public static Notification? Build(NotificationFacts facts, string template, NotificationChannel channel)
    {
        var recipient = channel switch
        {
            NotificationChannel.Sms => facts.Phone is { } phone ? RussianPhone.Normalize(phone) : null,
            NotificationChannel.Email => facts.Email?.Trim() is { Length: > 0 } email && email.Contains('@', StringComparison.Ordinal) ? email : null,
            _ => null,
        };
        if (recipient is null)
        {
            return null;
        }
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["orderNumber"] = facts.OrderNumber };
        Add(data, "customerName", facts.CustomerName);
        if (facts.Amount is { } amount)
        {
            data["amount"] = amount.Amount.ToString(CultureInfo.InvariantCulture);
            data["currency"] = amount.Currency;
        }
        Add(data, "paymentUrl", facts.PaymentUrl);
        Add(data, "carrier", facts.Carrier);
        Add(data, "trackingNumber", facts.TrackingNumber);
        Add(data, "pickupPointId", facts.PickupPointId);
        Add(data, "reason", facts.Reason);
        return new Notification
        {
            Channel = channel,
            Recipient = recipient,
            Template = template,
            OrderNumber = facts.OrderNumber,
            Data = data,
        };
    }

    /// <summary>The leg of a notification's message id: <c>notify/order-paid/sms</c>, so each is sent at most once per order.</summary>
    public static string Leg(string template, NotificationChannel channel) => $"notify/{template}/{ChannelName(channel)}";

    public static string ChannelName(NotificationChannel channel) => channel == NotificationChannel.Sms ? "sms" : "email";

    private static void Add(IDictionary<string, string> data, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            data[key] = value;
        }
    }
}
