using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Endpoints.YooKassa.Wire;

// What YooKassa answers and sends. Only the fields the router reads are declared; everything else is ignored.

public sealed record WireAmount
{
    [JsonConverter(typeof(YooKassaDecimalConverter))]
    public decimal Value { get; init; }

    public string Currency { get; init; } = "RUB";
}

public sealed record WireConfirmation
{
    public string? Type { get; init; }
    public string? ConfirmationUrl { get; init; }
    public string? ReturnUrl { get; init; }
}

/// <summary><c>party</c> and <c>reason</c> are open sets (yoo_kassa, yoo_money, yandex_checkout… all seen).</summary>
public sealed record WireCancellationDetails
{
    public string? Party { get; init; }
    public string? Reason { get; init; }
}

public sealed record WirePaymentMethod
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Title { get; init; }
}

/// <summary>The payment object: the answer to create, get, capture and cancel, and a webhook's <c>object</c>.</summary>
public sealed record WirePayment
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public bool Paid { get; init; }
    public WireAmount? Amount { get; init; }
    public WireAmount? IncomeAmount { get; init; }
    public WireAmount? RefundedAmount { get; init; }
    public string? Description { get; init; }
    public WireConfirmation? Confirmation { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? CapturedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool Test { get; init; }
    public bool Refundable { get; init; }
    public string? ReceiptRegistration { get; init; }
    public WirePaymentMethod? PaymentMethod { get; init; }
    public WireCancellationDetails? CancellationDetails { get; init; }

    /// <summary>Flat key/value pairs; values are strings on the wire, but a number must not break the read.</summary>
    public Dictionary<string, JsonElement>? Metadata { get; init; }

    public string? MetadataValue(string key) =>
        Metadata is not null && Metadata.TryGetValue(key, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}

public sealed record WireRefund
{
    public required string Id { get; init; }
    public required string PaymentId { get; init; }
    public required string Status { get; init; }
    public WireAmount? Amount { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? ReceiptRegistration { get; init; }
    public WireCancellationDetails? CancellationDetails { get; init; }
}

/// <summary>
/// An error answer (<c>type: error</c>). <c>retry_after</c> (milliseconds) also comes with 202 "not finished yet"
/// answers and some 5xx.
/// </summary>
public sealed record WireError
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Code { get; init; }
    public string? Description { get; init; }
    public string? Parameter { get; init; }
    public long? RetryAfter { get; init; }
}

/// <summary>An HTTP notification: <c>{"type":"notification","event":"payment.succeeded","object":{…}}</c>. Unsigned: never trusted as is.</summary>
public sealed record WireNotification
{
    public string? Type { get; init; }
    public string? Event { get; init; }
    public JsonElement Object { get; init; }
}
