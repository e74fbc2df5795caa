using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Sandbox.YooKassa;

/// <summary>YooKassa's wire JSON as the emulator writes it: snake_case, amounts as "0.00" strings, nulls left out.</summary>
public static class YooKassaWire
{
    public static readonly JsonSerializerOptions Options = Create();

    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 UTC with milliseconds, as YooKassa writes its timestamps.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

public sealed record YooKassaAmount(string Value, string Currency);

public sealed record YooKassaRecipient(string AccountId, string GatewayId);

public sealed record YooKassaConfirmation(string Type, string? ConfirmationUrl, string? ReturnUrl);

public sealed record YooKassaCancellation(string Party, string Reason);

public sealed record YooKassaCard(string First6, string Last4, string ExpiryMonth, string ExpiryYear, string CardType);

public sealed record YooKassaPaymentMethod(string Type, string Id, bool Saved, string Title, YooKassaCard? Card);

/// <summary>A payment as GET /payments/{id} shows it; immutable, replaced on every change.</summary>
public sealed record YooKassaPayment
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public bool Paid { get; init; }
    public required YooKassaAmount Amount { get; init; }
    public YooKassaAmount? IncomeAmount { get; init; }
    public string? Description { get; init; }
    public required YooKassaRecipient Recipient { get; init; }
    public YooKassaPaymentMethod? PaymentMethod { get; init; }
    public string? CapturedAt { get; init; }
    public required string CreatedAt { get; init; }
    public string? ExpiresAt { get; init; }
    public YooKassaConfirmation? Confirmation { get; init; }
    public bool Test { get; init; } = true;
    public YooKassaAmount? RefundedAmount { get; init; }
    public bool Refundable { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public YooKassaCancellation? CancellationDetails { get; init; }

    [JsonIgnore]
    public bool Capture { get; init; }

    [JsonIgnore]
    public decimal Value => decimal.Parse(Amount.Value, CultureInfo.InvariantCulture);

    [JsonIgnore]
    public decimal Refunded => RefundedAmount is null ? 0 : decimal.Parse(RefundedAmount.Value, CultureInfo.InvariantCulture);
}

public sealed record YooKassaRefund
{
    public required string Id { get; init; }
    public required string PaymentId { get; init; }
    public required string Status { get; init; }
    public required string CreatedAt { get; init; }
    public required YooKassaAmount Amount { get; init; }
    public string? Description { get; init; }
    public string? ReceiptRegistration { get; init; }
}

/// <summary><c>{"type":"error","id","code","description","parameter"}</c>, and <c>retry_after</c> on 202s.</summary>
public sealed record YooKassaError
{
    public string Type { get; init; } = "error";
    public required string Id { get; init; }
    public required string Code { get; init; }
    public string? Description { get; init; }
    public string? Parameter { get; init; }
    public long? RetryAfter { get; init; }
}

public sealed record YooKassaNotification(string Type, string Event, YooKassaNotificationObject Object);

/// <summary>Holder so the notification's object is written with its own runtime type (payment or refund).</summary>
[JsonConverter(typeof(NotificationObjectConverter))]
public sealed record YooKassaNotificationObject(object Value);

internal sealed class NotificationObjectConverter : JsonConverter<YooKassaNotificationObject>
{
    public override YooKassaNotificationObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("the emulator only writes notifications");

    public override void Write(Utf8JsonWriter writer, YooKassaNotificationObject value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Value, value.Value.GetType(), options);
}
