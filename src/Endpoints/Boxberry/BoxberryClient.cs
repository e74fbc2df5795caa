using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Http;

namespace Router.Endpoints.Boxberry;

/// <summary>
/// Boxberry's json.php: one URL, the method and the token as parameters, reads by GET and ParselCreate as a form
/// POST with the parcel in <c>sdata</c>. Every answer is HTTP 200, so success is decided by the body
/// (<see cref="BoxberryAnswer"/>); the token travels in the query or form and is kept out of every message.
/// </summary>
public sealed class BoxberryClient
{
    public const string ErrorCode = "boxberry-error";

    private readonly HttpClient http;
    private readonly BoxberryOptions options;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, (DateTimeOffset FetchedAt, IReadOnlyList<BoxberryPoint> Points)> points = new(StringComparer.Ordinal);

    public BoxberryClient(HttpClient http, BoxberryOptions options, TimeProvider clock)
    {
        this.http = http;
        this.options = options;
        this.clock = clock;
    }

    /// <summary>Pickup points, optionally of one city; reused for <see cref="BoxberryOptions.PointsCacheTtl"/> (the list is large and changes daily at most).</summary>
    public async Task<IReadOnlyList<BoxberryPoint>> ListPointsAsync(string? cityCode, CancellationToken cancellationToken)
    {
        var key = cityCode ?? "";
        if (points.TryGetValue(key, out var cached) && clock.GetUtcNow() - cached.FetchedAt < options.PointsCacheTtl)
        {
            return cached.Points;
        }
        var parameters = new List<KeyValuePair<string, string>> { new("prepaid", "1") };
        if (cityCode is not null)
        {
            parameters.Add(new("CityCode", cityCode));
        }
        var list = Parse<List<BoxberryPoint>>(await GetAsync("ListPoints", parameters, cancellationToken), "ListPoints");
        points[key] = (clock.GetUtcNow(), list);
        return list;
    }

    public async Task<BoxberryCost> DeliveryCostsAsync(BoxberryCostQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("weight", Number(query.WeightGrams)),
            new("ordersum", Money(query.OrderSum)),
            new("paysum", Money(query.PaySum)),
            new("deliverysum", "0"),
        };
        Add(parameters, "target", query.Target);
        Add(parameters, "zip", query.Zip);
        Add(parameters, "targetstart", query.TargetStart ?? options.Shipment.PointOfAcceptance);
        Add(parameters, "height", query.HeightCm?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "width", query.WidthCm?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "depth", query.DepthCm?.ToString(CultureInfo.InvariantCulture));
        return Parse<BoxberryCost>(await GetAsync("DeliveryCosts", parameters, cancellationToken), "DeliveryCosts");
    }

    /// <summary>ParselCreate; a Boxberry error comes back as <see cref="BoxberryRefusal"/> so the caller can tell "order_id already taken".</summary>
    public async Task<BoxberryCreated> ParselCreateAsync(string sdata, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new FormUrlEncodedContent([new("token", options.Token), new("method", "ParselCreate"), new("sdata", sdata)]),
        };
        var body = await SendAsync(request, "ParselCreate", cancellationToken);
        if (BoxberryAnswer.ErrorIn(body) is { } error)
        {
            throw new BoxberryRefusal(error, error.ToException($"POST {Display}?method=ParselCreate"));
        }
        var created = Parse<BoxberryCreated>(body, "ParselCreate");
        return created.Track is { Length: > 0 } ? created : throw new TransientFailureException("ParselCreate: Boxberry's answer names no track");
    }

    public async Task<string?> ParselCheckAsync(string track, CancellationToken cancellationToken) =>
        Parse<BoxberryLabel>(await GetAsync("ParselCheck", [new("ImId", track)], cancellationToken), "ParselCheck").Label;

    /// <summary>ListStatuses by track or shop order id; null when Boxberry knows no such parcel.</summary>
    public async Task<IReadOnlyList<BoxberryStatus>?> ListStatusesAsync(string imId, CancellationToken cancellationToken)
    {
        var body = await GetRawAsync("ListStatuses", [new("ImId", imId)], cancellationToken);
        if (BoxberryAnswer.ErrorIn(body) is { } error)
        {
            return error.IsNotFound && !error.IsTransient ? null : throw error.ToException($"GET {Display}?method=ListStatuses");
        }
        return Parse<List<BoxberryStatus>>(body, "ListStatuses");
    }

    public async Task<BoxberryStatusesFull> ListStatusesFullAsync(string imId, CancellationToken cancellationToken) =>
        Parse<BoxberryStatusesFull>(await GetAsync("ListStatusesFull", [new("ImId", imId)], cancellationToken), "ListStatusesFull");

    /// <summary>CancelOrder by the shop's order id or the track; cancelType 1 deletes (before hand-over), 2 recalls.</summary>
    public async Task CancelOrderAsync(string? orderId, string? track, int cancelType, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("cancelType", Number(cancelType)) };
        Add(parameters, "orderid", orderId);
        Add(parameters, "track", track);
        await GetAsync("CancelOrder", parameters, cancellationToken);
    }

    private string Display => options.Url.GetLeftPart(UriPartial.Path);

    private async Task<string> GetAsync(string method, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = await GetRawAsync(method, parameters, cancellationToken);
        if (BoxberryAnswer.ErrorIn(body) is { } error)
        {
            throw error.ToException($"GET {Display}?method={method}");
        }
        return body;
    }

    private async Task<string> GetRawAsync(string method, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { new KeyValuePair<string, string>("token", options.Token), new("method", method) }.Concat(parameters)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Url + "?" + query));
        return await SendAsync(request, method, cancellationToken);
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string method, CancellationToken cancellationToken)
    {
        var what = $"{request.Method} {Display}?method={method}";
        using var response = await PartnerHttp.SendAsync(http, request, what, cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = await PartnerHttp.ReadExcerptAsync(response, options.SecretValues, cancellationToken);
            throw StatusCodeClassifier.IsTransientStatus(status)
                ? new TransientFailureException($"{what}: Boxberry answered {status}: {excerpt}")
                : new PermanentFailureException($"http-{status}", $"{what}: Boxberry answered {status}: {excerpt}");
        }
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static T Parse<T>(string body, string method)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, BoxberryJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new TransientFailureException($"{method}: Boxberry's answer is not the JSON expected ({ex.Message})", ex);
        }
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parameters.Add(new(name, value));
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>Boxberry refused a ParselCreate; <see cref="Error"/> says how (an order_id already taken is not a failure on a retry).</summary>
public sealed class BoxberryRefusal : Exception
{
    public BoxberryRefusal(BoxberryError error, Exception classified)
        : base(classified.Message, classified)
    {
        Error = error;
    }

    public BoxberryError Error { get; }

    /// <summary>The transient or permanent failure this refusal is, for the delivery.</summary>
    public Exception Classified => InnerException!;
}
