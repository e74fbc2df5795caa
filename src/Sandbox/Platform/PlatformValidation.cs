using System.Text.Json;

namespace Router.Sandbox.Platform;

/// <summary>A 422 answer's content: which field is wrong and why.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public object ToBody() => new { error = "validation_failed", field = Field, message = Message };
}

/// <summary>The platform's checks on what it is sent, strict enough to catch a broken mapping in the router.</summary>
public static class PlatformValidation
{
    public static ValidationError? CheckOrder(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return new ValidationError("$", "the order must be a JSON object");
        }
        if (!IsNonEmptyString(order, "number"))
        {
            return new ValidationError("number", "number is required and must be a non-empty string");
        }
        if (!order.TryGetProperty("customer", out var customer) || customer.ValueKind != JsonValueKind.Object)
        {
            return new ValidationError("customer", "customer is required and must be an object");
        }
        if (!IsNonEmptyString(customer, "email") || !customer.GetProperty("email").GetString()!.Contains('@'))
        {
            return new ValidationError("customer.email", "customer.email is required and must be an e-mail address");
        }
        return null;
    }

    public static ValidationError? CheckProducts(JsonElement body, out IReadOnlyList<JsonElement> products)
    {
        var items = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().ToList() : [body];
        products = items;
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = body.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                return new ValidationError(prefix.Length > 0 ? $"[{i}]" : "$", "a product must be a JSON object");
            }
            if (!IsNonEmptyString(items[i], "id"))
            {
                return new ValidationError(prefix + "id", "id is required and must be a non-empty string");
            }
            if (!IsNonEmptyString(items[i], "name"))
            {
                return new ValidationError(prefix + "name", "name is required and must be a non-empty string");
            }
        }
        return null;
    }

    private static bool IsNonEmptyString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
}
