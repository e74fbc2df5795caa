using System.Globalization;
using System.Text.Json;

namespace Router.Sandbox.OneC;

/// <summary>
/// How the emulated 1C shows what it holds through standard.odata: УТ 11's Catalog_Контрагенты and
/// Document_ЗаказКлиента, with the platform's own fields (Ref_Key, DataVersion, DeletionMark…) and references as
/// <c>&lt;Name&gt;_Key</c> GUIDs, empty ones all zeros.
/// </summary>
public static class OneCEntitySets
{
    public const string Customers = "Catalog_Контрагенты";
    public const string Orders = "Document_ЗаказКлиента";

    public static readonly IReadOnlyList<string> Names = [Customers, Orders];

    public static IReadOnlyList<Dictionary<string, object?>> Rows(string entitySet, OneCStore store) => entitySet switch
    {
        Customers => store.Customers.Select(CustomerRow).ToList(),
        Orders => store.Orders.Select(order => OrderRow(order, store)).ToList(),
        _ => [],
    };

    public static Dictionary<string, object?> CustomerRow(OneCObject customer)
    {
        var data = customer.Data;
        var name = Text(data, "companyName") ?? Text(data, "name") ?? "";
        return new Dictionary<string, object?>
        {
            ["Ref_Key"] = customer.RefKey,
            ["DataVersion"] = customer.DataVersion,
            ["DeletionMark"] = false,
            ["Parent_Key"] = Guid.Empty,
            ["IsFolder"] = false,
            ["Code"] = customer.Code,
            ["Description"] = name,
            ["НаименованиеПолное"] = name,
            ["ИНН"] = Text(data, "inn") ?? "",
            ["КПП"] = Text(data, "kpp") ?? "",
            ["Predefined"] = false,
            ["PredefinedDataName"] = "",
        };
    }

    public static Dictionary<string, object?> OrderRow(OneCObject order, OneCStore store)
    {
        var data = order.Data;
        var customerId = data.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object ? Text(customer, "id") : null;
        var created = Text(data, "createdAt") is { } createdAt && DateTimeOffset.TryParse(createdAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : order.ReceivedAt;
        return new Dictionary<string, object?>
        {
            ["Ref_Key"] = order.RefKey,
            ["DataVersion"] = order.DataVersion,
            ["DeletionMark"] = false,
            ["Number"] = Text(data, "number") ?? "",
            ["Date"] = created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            ["Posted"] = true,
            ["Контрагент_Key"] = customerId is not null && store.FindCustomer(customerId) is { } known ? known.RefKey : Guid.Empty,
            ["СуммаДокумента"] = Total(data),
            ["Комментарий"] = Text(data, "comment") ?? "",
        };
    }

    private static decimal Total(JsonElement order) =>
        order.TryGetProperty("totals", out var totals) && totals.ValueKind == JsonValueKind.Object
        && totals.TryGetProperty("total", out var total) && total.ValueKind == JsonValueKind.Object
        && total.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number
            ? amount.GetDecimal()
            : 0m;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
