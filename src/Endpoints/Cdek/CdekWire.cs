using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Endpoints.Cdek;

/// <summary>CDEK's JSON: snake_case; numbers that are sometimes strings (cdek_number, city codes).</summary>
public static class CdekJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new StringOrNumberConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The docs call cdek_number a long, the webhook samples send a string: both read as text.</summary>
    private sealed class StringOrNumberConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => null,
            _ => throw new JsonException($"expected a string or a number, found {reader.TokenType}"),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

public sealed record CdekError
{
    public string? Code { get; init; }
    public string? Message { get; init; }

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>One of an entity's requests: CREATE, UPDATE, DELETE… with ACCEPTED, WAITING, SUCCESSFUL or INVALID.</summary>
public sealed record CdekRequest
{
    public const string Accepted = "ACCEPTED";
    public const string Waiting = "WAITING";
    public const string Successful = "SUCCESSFUL";
    public const string Invalid = "INVALID";

    public string? RequestUuid { get; init; }
    public string? Type { get; init; }
    public string? State { get; init; }
    public string? DateTime { get; init; }
    public IReadOnlyList<CdekError>? Errors { get; init; }
    public IReadOnlyList<CdekError>? Warnings { get; init; }

    public bool Is(string state) => string.Equals(State?.Trim(), state, StringComparison.OrdinalIgnoreCase);
}

public sealed record CdekStatusEntry
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? DateTime { get; init; }
    public string? ReasonCode { get; init; }
    public string? City { get; init; }

    public string NormalisedCode => CdekStatusCodes.Normalise(Code);
    public DateTimeOffset? At => CdekDateTime.Parse(DateTime);
}

public sealed record CdekOrderEntity
{
    public string? Uuid { get; init; }
    public string? CdekNumber { get; init; }
    public string? Number { get; init; }
    public string? TariffCode { get; init; }
    public IReadOnlyList<CdekStatusEntry>? Statuses { get; init; }

    /// <summary>Statuses oldest first (CDEK lists them newest first; sorting by time does not depend on that).</summary>
    public IReadOnlyList<CdekStatusEntry> History => (Statuses ?? [])
        .Select((status, index) => (status, index))
        .OrderBy(s => s.status.At ?? DateTimeOffset.MinValue)
        .ThenByDescending(s => s.index)
        .Select(s => s.status)
        .ToList();

    public CdekStatusEntry? Current => History.LastOrDefault();
}

/// <summary>The answer to every order call: the entity, its requests, and top-level errors on some failures.</summary>
public sealed record CdekEnvelope
{
    public CdekOrderEntity? Entity { get; init; }
    public IReadOnlyList<CdekRequest>? Requests { get; init; }
    public IReadOnlyList<CdekError>? Errors { get; init; }

    public CdekRequest? RequestOf(string type) => Requests?.LastOrDefault(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every error CDEK put in the body, wherever it put it.</summary>
    public IReadOnlyList<CdekError> AllErrors => [.. Errors ?? [], .. (Requests ?? []).SelectMany(r => r.Errors ?? [])];
}

/// <summary>A webhook POST: ORDER_STATUS carries the order uuid and its new status in attributes.</summary>
public sealed record CdekWebhook
{
    public const string OrderStatusType = "ORDER_STATUS";

    public string? Type { get; init; }
    public string? DateTime { get; init; }
    public string? Uuid { get; init; }
    public CdekWebhookAttributes? Attributes { get; init; }
}

public sealed record CdekWebhookAttributes
{
    public bool? IsReturn { get; init; }
    public string? CdekNumber { get; init; }
    public string? Number { get; init; }
    public string? Code { get; init; }
    public string? StatusCode { get; init; }
    public string? StatusReasonCode { get; init; }
    public string? StatusDateTime { get; init; }
    public string? CityName { get; init; }
    public string? CityCode { get; init; }
    public bool? Deleted { get; init; }
}

public sealed record CdekToken
{
    public string? AccessToken { get; init; }
    public string? TokenType { get; init; }
    public int? ExpiresIn { get; init; }
}

/// <summary>POST /v2/calculator/tariff, one tariff.</summary>
public sealed record CdekTariffRequest
{
    public required int TariffCode { get; init; }
    public required CdekTariffLocation FromLocation { get; init; }
    public required CdekTariffLocation ToLocation { get; init; }
    public required IReadOnlyList<CdekTariffPackage> Packages { get; init; }
    public int? Type { get; init; }
    public string? Date { get; init; }
}

public sealed record CdekTariffLocation(int? Code = null, string? PostalCode = null, string? CountryCode = null, string? City = null, string? Address = null);

public sealed record CdekTariffPackage(int Weight, int? Length = null, int? Width = null, int? Height = null);

public sealed record CdekTariff
{
    public decimal DeliverySum { get; init; }
    public int? PeriodMin { get; init; }
    public int? PeriodMax { get; init; }
    public int? WeightCalc { get; init; }
    public decimal? TotalSum { get; init; }
    public string? Currency { get; init; }
    public IReadOnlyList<CdekError>? Errors { get; init; }
}
