using System.Globalization;
using Router.Core.Canonical;

namespace Router.Endpoints.Boxberry;

/// <summary>
/// Boxberry names its statuses in Russian (there are no codes in ListStatuses), so they are matched by name, with
/// case, ё/е and spacing ignored. A name not listed here is a movement on the way, never final.
/// </summary>
public static class BoxberryStatuses
{
    public const string Created = "Загружен реестр ИМ";
    public const string Delivered = "Выдано";
    public const string Returned = "Возвращено в ИМ";

    private static readonly Dictionary<string, ShipmentState> States = new Dictionary<string, ShipmentState>
    {
        [Created] = ShipmentState.Created,
        ["Заказ создан в личном кабинете"] = ShipmentState.Created,
        ["Принято к доставке"] = ShipmentState.Accepted,
        ["Принят к доставке"] = ShipmentState.Accepted,
        ["Передано на сортировку"] = ShipmentState.InTransit,
        ["Отправлено на сортировочный терминал"] = ShipmentState.InTransit,
        ["Отправлено в город назначения"] = ShipmentState.InTransit,
        ["Передан на доставку до пункта выдачи"] = ShipmentState.InTransit,
        ["Передано на доставку до пункта выдачи"] = ShipmentState.InTransit,
        ["Поступило в пункт выдачи"] = ShipmentState.ArrivedAtPickupPoint,
        ["Передано на курьерскую доставку"] = ShipmentState.OutForDelivery,
        ["Передан курьеру"] = ShipmentState.OutForDelivery,
        [Delivered] = ShipmentState.Delivered,
        ["Доставлено"] = ShipmentState.Delivered,
        ["Готовится к возврату"] = ShipmentState.NotDelivered,
        ["Отправлено в пункт приема"] = ShipmentState.NotDelivered,
        [Returned] = ShipmentState.Returned,
        ["Возвращено в интернет-магазин"] = ShipmentState.Returned,
        ["Удален"] = ShipmentState.Cancelled,
        ["Отменен"] = ShipmentState.Cancelled,
        ["Отозван"] = ShipmentState.Cancelled,
    }.ToDictionary(p => Normalise(p.Key), p => p.Value);

    public static string Normalise(string? name) =>
        string.Join(' ', (name ?? "").Replace('ё', 'е').Replace('Ё', 'Е').ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static ShipmentState StateOf(string? name) => States.GetValueOrDefault(Normalise(name), ShipmentState.InTransit);

    public static bool IsKnown(string? name) => States.ContainsKey(Normalise(name));

    /// <summary>Handed over, returned to the shop or cancelled: polling stops. «Готовится к возврату» is not final, the return still travels.</summary>
    public static bool IsFinal(string? name) => StateOf(name) is ShipmentState.Delivered or ShipmentState.Returned or ShipmentState.Cancelled;

    /// <summary>Only a parcel Boxberry has not received yet may be deleted; afterwards it can only be recalled.</summary>
    public static bool MayDelete(string? name) => StateOf(name) == ShipmentState.Created;
}

/// <summary>Boxberry's dates are naive Moscow time in two formats: ListStatuses "2020-12-26 12:23:26", ListStatusesFull "26.12.2020 12:23".</summary>
public static class BoxberryDates
{
    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss", "yyyy-MM-dd", "dd.MM.yyyy"];

    public static DateTimeOffset? Parse(string? text) =>
        DateTime.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Moscow)
            : null;
}
