using Router.Core.Canonical;
using Router.Core.Failures;

namespace Router.Transformers.Orders;

/// <summary>How orders become shipments: which carrier serves which delivery method, default tariffs and parcel sizes.</summary>
public sealed record ShipmentRequestOptions
{
    /// <summary>order.delivery.method → carrier (cdek, boxberry). Methods named like a carrier map to it without an entry.</summary>
    public IReadOnlyDictionary<string, string> Carriers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>carrier → tariff to use when the order names none; otherwise the carrier's parcel tariff for a pickup point or a door.</summary>
    public IReadOnlyDictionary<string, string> Tariffs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Weight of one unit of an order line: orders carry no weights, carriers require them.</summary>
    public int ItemWeightGrams { get; init; } = 500;

    public int? LengthCm { get; init; } = 30;
    public int? WidthCm { get; init; } = 20;
    public int? HeightCm { get; init; } = 15;

    public static readonly IReadOnlySet<string> KnownCarriers = new HashSet<string>(StringComparer.Ordinal) { "cdek", "boxberry" };
}

/// <summary>Order → <c>shipment.requested</c>: the carrier for the order's delivery method, its pickup point or address, one parcel.</summary>
public static class ShipmentRequestBuilder
{
    public static string CarrierOf(Order order, ShipmentRequestOptions options)
    {
        var method = order.Delivery?.Method
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"order {order.Number} has no delivery method, so no carrier can be chosen");
        if (options.Carriers.TryGetValue(method, out var carrier))
        {
            return carrier;
        }
        if (ShipmentRequestOptions.KnownCarriers.Contains(method))
        {
            return method;
        }
        throw new PermanentFailureException(ErrorCodes.MalformedInput,
            $"order {order.Number}: no carrier for delivery method '{method}' (map it under carriers:, e.g. {{ {method}: cdek }})");
    }

    public static ShipmentRequest Build(Order order, ShipmentRequestOptions options)
    {
        var carrier = CarrierOf(order, options);
        var delivery = order.Delivery!;
        if (delivery.PickupPointId is null && delivery.Address is null)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"order {order.Number}: delivery by {carrier} needs a pickup point (delivery.pickupPointId) or an address (delivery.address)");
        }
        var items = order.Lines.Select(line => new ShipmentItem(line.Sku, line.Name, line.Quantity,
            line.Quantity > 0 ? new Money(Math.Round(line.Total.Amount / line.Quantity, 2, MidpointRounding.AwayFromZero), line.Total.Currency) : line.UnitPrice,
            options.ItemWeightGrams)).ToList();
        var weight = (int)Math.Ceiling(order.Lines.Sum(l => l.Quantity) * options.ItemWeightGrams);
        var cashOnDelivery = order.Payment?.Method == "cash-on-delivery";
        return new ShipmentRequest
        {
            OrderNumber = order.Number,
            Carrier = carrier,
            Tariff = delivery.Tariff ?? options.Tariffs.GetValueOrDefault(carrier) ?? DefaultTariff(carrier, delivery.PickupPointId is not null),
            PickupPointId = delivery.PickupPointId,
            Address = delivery.PickupPointId is null ? delivery.Address : null,
            Recipient = new ShipmentRecipient(
                order.Customer.Name ?? order.Customer.CompanyName ?? throw new PermanentFailureException(ErrorCodes.MalformedInput,
                    $"order {order.Number}: the customer has no name, which a carrier needs for the recipient"),
                order.Customer.Phone is { } phone ? RussianPhone.Normalize(phone) : null,
                string.IsNullOrWhiteSpace(order.Customer.Email) ? null : order.Customer.Email.Trim()),
            Packages =
            [
                new ShipmentPackage
                {
                    Number = order.Number,
                    WeightGrams = Math.Max(1, weight),
                    LengthCm = options.LengthCm,
                    WidthCm = options.WidthCm,
                    HeightCm = options.HeightCm,
                    Items = items,
                },
            ],
            DeclaredValue = order.Totals.Goods,
            CashOnDelivery = cashOnDelivery ? order.Totals.Total : null,
            DeliveryCost = delivery.Cost ?? order.Totals.Delivery,
            Comment = order.Comment,
        };
    }

    /// <summary>CDEK «Посылка» склад-склад 136 / склад-дверь 137; Boxberry vid 1 (pickup point) / 2 (courier).</summary>
    private static string? DefaultTariff(string carrier, bool pickupPoint) => carrier switch
    {
        "cdek" => pickupPoint ? "136" : "137",
        "boxberry" => pickupPoint ? "1" : "2",
        _ => null,
    };
}
