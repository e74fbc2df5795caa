using System.Text.Json.Nodes;

namespace Router.Sandbox.Cdek;

/// <summary>The status codes the emulator uses (Appendix 1 names), their Russian names and the timelines it walks orders along.</summary>
public static class CdekSandboxStatuses
{
    public const string Created = "CREATED";
    public const string Removed = "REMOVED";
    public const string Delivered = "DELIVERED";
    public const string NotDelivered = "NOT_DELIVERED";

    private static readonly Dictionary<string, (string Name, string Legacy)> Known = new(StringComparer.Ordinal)
    {
        [Created] = ("Создан", "1"),
        [Removed] = ("Удален", "2"),
        ["RECEIVED_AT_SHIPMENT_WAREHOUSE"] = ("Принят на склад отправителя", "3"),
        ["READY_TO_SHIP_AT_SENDING_OFFICE"] = ("Выдан на отправку в г. отправителе", "6"),
        ["PASSED_TO_CARRIER_AT_SENDING_OFFICE"] = ("Сдан перевозчику в г. отправителе", "16"),
        ["SEND_TO_RECIPIENT_OFFICE"] = ("Отправлен в г. получатель", "7"),
        ["MET_AT_RECIPIENT_OFFICE"] = ("Встречен в г. получателе", "21"),
        ["ACCEPTED_AT_DELIVERY_WAREHOUSE"] = ("Принят на склад доставки", "8"),
        ["ACCEPTED_AT_WAREHOUSE_ON_DEMAND"] = ("Принят на склад до востребования", "10"),
        ["ISSUED_FOR_DELIVERY"] = ("Выдан на доставку", "11"),
        [Delivered] = ("Вручен", "4"),
        [NotDelivered] = ("Не вручен", "5"),
    };

    private static readonly string[] ToPickupPoint =
    [
        Created, "RECEIVED_AT_SHIPMENT_WAREHOUSE", "READY_TO_SHIP_AT_SENDING_OFFICE", "PASSED_TO_CARRIER_AT_SENDING_OFFICE",
        "SEND_TO_RECIPIENT_OFFICE", "MET_AT_RECIPIENT_OFFICE", "ACCEPTED_AT_WAREHOUSE_ON_DEMAND", Delivered,
    ];

    private static readonly string[] ToDoor =
    [
        Created, "RECEIVED_AT_SHIPMENT_WAREHOUSE", "READY_TO_SHIP_AT_SENDING_OFFICE", "PASSED_TO_CARRIER_AT_SENDING_OFFICE",
        "SEND_TO_RECIPIENT_OFFICE", "MET_AT_RECIPIENT_OFFICE", "ACCEPTED_AT_DELIVERY_WAREHOUSE", "ISSUED_FOR_DELIVERY", Delivered,
    ];

    public static string NameOf(string code) => Known.TryGetValue(code, out var known) ? known.Name : code;

    public static string LegacyNumberOf(string code) => Known.TryGetValue(code, out var known) ? known.Legacy : "0";

    public static bool IsFinal(string code) => code is Removed or Delivered or NotDelivered;

    public static string[] TimelineFor(JsonObject order) => order["delivery_point"] is not null ? ToPickupPoint : ToDoor;
}
