using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Endpoints.YooKassa.Wire;

/// <summary>
/// YooKassa's JSON: snake_case, unknown fields ignored (the API adds fields without notice), amounts written as
/// strings with two decimals and read from either strings or numbers (SDK fixtures carry <c>250.0</c>).
/// </summary>
public static class YooKassaJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"JSON 'null' is not a YooKassa {typeof(T).Name}");

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Writes a decimal as YooKassa's <c>"1000.00"</c>; reads a string or a number.</summary>
public sealed class YooKassaDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDecimal(),
        JsonTokenType.String when decimal.TryParse(reader.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new JsonException($"an amount must be a number or a string like \"10.00\", not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("0.00", CultureInfo.InvariantCulture));
}

/// <summary>Quantities in receipts: a string with at least two decimals (<c>"1.00"</c>, <c>"0.125"</c>).</summary>
public sealed class YooKassaQuantityConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new YooKassaDecimalConverter().Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("0.00#", CultureInfo.InvariantCulture));
}
