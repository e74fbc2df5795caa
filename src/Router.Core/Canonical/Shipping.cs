namespace Router.Core.Canonical;

/// <summary>Carrier-neutral shipment states; CDEK and Boxberry codes map onto these.</summary>
public enum ShipmentState
{
    Created, Accepted, InTransit, ArrivedAtPickupPoint, OutForDelivery, Delivered, NotDelivered, Returned, Cancelled, Invalid,
}

public sealed record Shipment
{
    public required string OrderNumber { get; init; }
    public required string Carrier { get; init; }
    public string? TrackingNumber { get; init; }
    public string? CarrierOrderId { get; init; }
    public string? Tariff { get; init; }
    public string? PickupPointId { get; init; }
    public Address? Address { get; init; }
    public Money? Cost { get; init; }
    public decimal? WeightKg { get; init; }
}

public sealed record ShipmentStatus
{
    public required string OrderNumber { get; init; }
    public required string Carrier { get; init; }
    public required ShipmentState State { get; init; }
    public required string CarrierCode { get; init; }
    public string? CarrierName { get; init; }
    public string? TrackingNumber { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
    public string? City { get; init; }
}

public sealed record PickupPoint
{
    public required string Carrier { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public Address? Address { get; init; }
    public string? WorkSchedule { get; init; }
    public decimal? Latitude { get; init; }
    public decimal? Longitude { get; init; }
    public bool CashOnDelivery { get; init; }
}

public enum NotificationChannel { Sms, Email }

public sealed record Notification
{
    public required NotificationChannel Channel { get; init; }
    public required string Recipient { get; init; }
    public required string Template { get; init; }
    public string? Subject { get; init; }
    public string? OrderNumber { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
