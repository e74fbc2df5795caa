using Router.Core.Canonical;
using Router.Core.Config.Nodes;
using Router.Transformers.Orders;

namespace Router.Endpoints.OrderSaga;

/// <summary>An <c>order-saga</c> endpoint's options: who does what for an order, and how its commands are built.</summary>
public sealed record OrderSagaOptions
{
    public required string Payment { get; init; }

    /// <summary>order.delivery.method → carrier endpoint id.</summary>
    public required IReadOnlyDictionary<string, string> Carriers { get; init; }

    public string? OneC { get; init; }

    public IReadOnlyDictionary<NotificationChannel, string> Notifications { get; init; } = new Dictionary<NotificationChannel, string>();

    public TimeSpan PaymentTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public PaymentRequestOptions PaymentRequest { get; init; } = new();

    public ShipmentRequestOptions ShipmentRequest { get; init; } = new();

    public IEnumerable<string> Targets =>
        new[] { Payment }.Concat(Carriers.Values).Concat(Notifications.Values).Concat(OneC is null ? [] : [OneC]).Distinct(StringComparer.Ordinal);

    public static OrderSagaOptions Read(ConfigMapping options)
    {
        var carriers = options.GetStringMap(OrderSagaOptionKeys.Carriers).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var notifications = new Dictionary<NotificationChannel, string>();
        if (options.GetMapping(OrderSagaOptionKeys.Notifications) is { } map)
        {
            if (map.GetString("sms") is { } sms)
            {
                notifications[NotificationChannel.Sms] = sms;
            }
            if (map.GetString("email") is { } email)
            {
                notifications[NotificationChannel.Email] = email;
            }
        }
        return new OrderSagaOptions
        {
            Payment = options.GetRequiredString(OrderSagaOptionKeys.Payment),
            Carriers = carriers,
            OneC = options.GetString(OrderSagaOptionKeys.OneC),
            Notifications = notifications,
            PaymentTimeout = options.GetDuration(OrderSagaOptionKeys.PaymentTimeout, TimeSpan.FromMinutes(30)),
            PaymentRequest = OrderCommandOptions.ReadPayment(options),
            // The method → endpoint map doubles as method → carrier: the carrier is named by the method (cdek) or by its endpoint.
            ShipmentRequest = OrderCommandOptions.ReadShipment(options, carriers.ToDictionary(e => e.Key, e => CarrierName(e.Key, e.Value), StringComparer.Ordinal)),
        };
    }

    private static string CarrierName(string method, string endpoint) =>
        ShipmentRequestOptions.KnownCarriers.Contains(method) ? method : endpoint;
}
