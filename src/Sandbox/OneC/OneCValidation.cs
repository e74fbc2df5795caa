using System.Text.Json;

namespace Router.Sandbox.OneC;

/// <summary>
/// The checks the emulated 1C HTTP service makes on what it is sent, answered with 400 and a JSON body naming the
/// field (the contract agreed with the 1C team for /hs/…: 1C prescribes no error format of its own).
/// </summary>
public static class OneCValidation
{
    public static object? CheckOrder(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return Error("$", "Ожидается объект JSON заказа");
        }
        if (!NonEmpty(order, "number"))
        {
            return Error("number", "Не заполнено поле \"Номер\" (number)");
        }
        if (order.TryGetProperty("lines", out var lines) && (lines.ValueKind != JsonValueKind.Array || lines.GetArrayLength() == 0))
        {
            return Error("lines", "Табличная часть \"Товары\" (lines) не заполнена");
        }
        return null;
    }

    public static object? CheckCustomer(JsonElement customer)
    {
        if (customer.ValueKind != JsonValueKind.Object)
        {
            return Error("$", "Ожидается объект JSON контрагента");
        }
        if (!NonEmpty(customer, "id"))
        {
            return Error("id", "Не заполнен идентификатор контрагента (id)");
        }
        if (!NonEmpty(customer, "name") && !NonEmpty(customer, "companyName"))
        {
            return Error("name", "Не заполнено наименование контрагента (name или companyName)");
        }
        if (customer.TryGetProperty("inn", out var inn) && inn.ValueKind == JsonValueKind.String
            && inn.GetString() is { } text && (text.Length is not (10 or 12) || !text.All(char.IsAsciiDigit)))
        {
            return Error("inn", $"ИНН \"{text}\" должен состоять из 10 или 12 цифр");
        }
        return null;
    }

    private static object Error(string field, string message) => new { error = "validation_failed", field, message };

    private static bool NonEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0;
}
