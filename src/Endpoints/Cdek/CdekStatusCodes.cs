using Router.Core.Canonical;

namespace Router.Endpoints.Cdek;

/// <summary>
/// CDEK's order status codes (Appendix 1 of the API v2 docs, and the older names the official PHP SDK still
/// carries) as canonical shipment states. Codes are trimmed first: CDEK's own webhook example sends
/// <c>"RECEIVED_AT_SHIPMENT_WAREHOUSE "</c>. A code not listed here is an ordinary, non-final movement.
/// </summary>
public static class CdekStatusCodes
{
    public const string Created = "CREATED";
    public const string Removed = "REMOVED";
    public const string Delivered = "DELIVERED";
    public const string NotDelivered = "NOT_DELIVERED";

    private static readonly Dictionary<string, ShipmentState> States = new(StringComparer.OrdinalIgnoreCase)
    {
        // registration
        ["ACCEPTED"] = ShipmentState.Created,
        [Created] = ShipmentState.Created,
        [Removed] = ShipmentState.Cancelled,
        // at the sender's office
        ["RECEIVED_AT_SHIPMENT_WAREHOUSE"] = ShipmentState.Accepted,
        ["RECEIVED_AT_SENDER_WAREHOUSE"] = ShipmentState.Accepted,
        ["READY_TO_SHIP_AT_SENDING_OFFICE"] = ShipmentState.Accepted,
        ["READY_FOR_SHIPMENT_IN_SENDER_CITY"] = ShipmentState.Accepted,
        ["RETURNED_TO_SENDER_WAREHOUSE"] = ShipmentState.Accepted,
        ["RETURNED_TO_SENDER_CITY_WAREHOUSE"] = ShipmentState.Accepted,
        // on the way
        ["PASSED_TO_CARRIER_AT_SENDING_OFFICE"] = ShipmentState.InTransit,
        ["TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY"] = ShipmentState.InTransit,
        ["SEND_TO_TRANSIT_OFFICE"] = ShipmentState.InTransit,
        ["SENT_TO_TRANSIT_CITY"] = ShipmentState.InTransit,
        ["MET_AT_TRANSIT_OFFICE"] = ShipmentState.InTransit,
        ["ACCEPTED_IN_TRANSIT_CITY"] = ShipmentState.InTransit,
        ["ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE"] = ShipmentState.InTransit,
        ["ACCEPTED_AT_TRANSIT_WAREHOUSE"] = ShipmentState.InTransit,
        ["ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE"] = ShipmentState.InTransit,
        ["RETURNED_TO_TRANSIT_WAREHOUSE"] = ShipmentState.InTransit,
        ["READY_TO_SHIP_IN_TRANSIT_OFFICE"] = ShipmentState.InTransit,
        ["READY_FOR_SHIPMENT_IN_TRANSIT_CITY"] = ShipmentState.InTransit,
        ["PASSED_TO_CARRIER_AT_TRANSIT_OFFICE"] = ShipmentState.InTransit,
        ["TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY"] = ShipmentState.InTransit,
        ["SEND_TO_SENDING_OFFICE"] = ShipmentState.InTransit,
        ["MET_AT_SENDING_OFFICE"] = ShipmentState.InTransit,
        ["SEND_TO_RECIPIENT_OFFICE"] = ShipmentState.InTransit,
        ["SENT_TO_RECIPIENT_CITY"] = ShipmentState.InTransit,
        ["MET_AT_RECIPIENT_OFFICE"] = ShipmentState.InTransit,
        ["ARRIVED_AT_RECIPIENT_CITY"] = ShipmentState.InTransit,
        ["ACCEPTED_AT_DELIVERY_WAREHOUSE"] = ShipmentState.InTransit,
        ["ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE"] = ShipmentState.InTransit,
        ["ENTERED_TO_DELIVERY_WAREHOUSE"] = ShipmentState.InTransit,
        ["RETURNED_TO_DELIVERY_WAREHOUSE"] = ShipmentState.InTransit,
        ["RETURNED_TO_RECIPIENT_CITY_WAREHOUSE"] = ShipmentState.InTransit,
        ["IN_CUSTOMS_INTERNATIONAL"] = ShipmentState.InTransit,
        ["SHIPPED_TO_DESTINATION"] = ShipmentState.InTransit,
        ["PASSED_TO_TRANSIT_CARRIER"] = ShipmentState.InTransit,
        ["IN_CUSTOMS_LOCAL"] = ShipmentState.InTransit,
        ["CUSTOMS_COMPLETE"] = ShipmentState.InTransit,
        ["POSTOMAT_SEIZED"] = ShipmentState.InTransit,
        // waiting for the recipient
        ["ACCEPTED_AT_WAREHOUSE_ON_DEMAND"] = ShipmentState.ArrivedAtPickupPoint,
        ["ENTERED_TO_WAREHOUSE_ON_DEMAND"] = ShipmentState.ArrivedAtPickupPoint,
        ["ACCEPTED_AT_PICK_UP_POINT"] = ShipmentState.ArrivedAtPickupPoint,
        ["POSTOMAT_POSTED"] = ShipmentState.ArrivedAtPickupPoint,
        ["ISSUED_FOR_DELIVERY"] = ShipmentState.OutForDelivery,
        ["TAKEN_BY_COURIER"] = ShipmentState.OutForDelivery,
        // final
        ["POSTOMAT_RECEIVED"] = ShipmentState.Delivered,
        [Delivered] = ShipmentState.Delivered,
        [NotDelivered] = ShipmentState.NotDelivered,
    };

    public static string Normalise(string? code) => (code ?? "").Trim().ToUpperInvariant();

    /// <summary>The canonical state; an unknown code is taken as still on its way (never final).</summary>
    public static ShipmentState StateOf(string? code) => States.GetValueOrDefault(Normalise(code), ShipmentState.InTransit);

    public static bool IsKnown(string? code) => States.ContainsKey(Normalise(code));

    /// <summary>Nothing changes after these: polling stops.</summary>
    public static bool IsFinal(string? code) => StateOf(code) is ShipmentState.Delivered or ShipmentState.NotDelivered or ShipmentState.Cancelled;

    /// <summary>Only an order nothing has happened to yet may be deleted; later it can only be refused.</summary>
    public static bool MayDelete(string? code) => Normalise(code) is Created or "ACCEPTED";
}
