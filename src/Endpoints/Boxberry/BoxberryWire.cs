using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Endpoints.Boxberry;

/// <summary>Boxberry's JSON: PascalCase and camelCase mixed, numbers that are sometimes strings.</summary>
public static class BoxberryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

public sealed record BoxberryPoint
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? CityCode { get; init; }
    public string? CityName { get; init; }
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public string? WorkShedule { get; init; }
    public string? Gps { get; init; }
    public string? Acquiring { get; init; }
    public string? TypeOfOffice { get; init; }
    public JsonElement? DeliveryPeriod { get; init; }
    public JsonElement? LoadLimit { get; init; }
    public JsonElement? Postamat { get; init; }
    public string? OnlyPrepaidOrders { get; init; }
}

public sealed record BoxberryCost
{
    public decimal Price { get; init; }
    [JsonPropertyName("price_base")] public decimal? PriceBase { get; init; }
    [JsonPropertyName("price_service")] public decimal? PriceService { get; init; }
    [JsonPropertyName("delivery_period")] public int? DeliveryPeriod { get; init; }
}

public sealed record BoxberryCreated
{
    public string? Track { get; init; }
    public string? Label { get; init; }
}

public sealed record BoxberryLabel
{
    public string? Label { get; init; }
}

public sealed record BoxberryStatus
{
    public string? Date { get; init; }
    public string? Name { get; init; }
    public string? Comment { get; init; }

    public DateTimeOffset? At => BoxberryDates.Parse(Date);
}

public sealed record BoxberryStatusesFull
{
    [JsonPropertyName("PD")] public bool? Pd { get; init; }
    public decimal? Sum { get; init; }
    public string? DeliveryDate { get; init; }
    public decimal? Weight { get; init; }
    public string? PaymentMethod { get; init; }
    public IReadOnlyList<BoxberryStatus>? Statuses { get; init; }
}

/// <summary>DeliveryCosts' parameters: weight in grams, the acceptance point, the pickup point (or a zip for courier).</summary>
public sealed record BoxberryCostQuery(int WeightGrams, string? Target = null, string? Zip = null, string? TargetStart = null, decimal OrderSum = 0m, decimal PaySum = 0m,
    int? HeightCm = null, int? WidthCm = null, int? DepthCm = null);
