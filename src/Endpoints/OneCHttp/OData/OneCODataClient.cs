using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Http;
using Router.Endpoints.OneCHttp.Services;

namespace Router.Endpoints.OneCHttp.OData;

/// <summary>A counterparty (Catalog_Контрагенты) as 1C's OData shows it.</summary>
public sealed record ODataCustomer(Guid RefKey, string DataVersion, string Description, string? Inn, string? Kpp);

/// <summary>A customer order (Document_ЗаказКлиента) as 1C's OData shows it.</summary>
public sealed record ODataOrder(Guid RefKey, string DataVersion, string Number, DateTime Date, bool Posted, decimal? Amount);

/// <summary>
/// Reads 1C's standard OData interface (<c>odata/standard.odata/</c>, v3, <c>$format=json</c>) with the endpoint's
/// login: the look-ups reconciliation needs to compare what the router sent with what 1C holds. Errors are
/// classified like deliveries: a lock or a locked base is transient, the rest permanent.
/// </summary>
public sealed class OneCODataClient
{
    public const string Customers = "Catalog_Контрагенты";
    public const string Orders = "Document_ЗаказКлиента";

    private readonly HttpClient http;
    private readonly ServiceOptions options;

    public OneCODataClient(HttpClient http, ServiceOptions options)
    {
        this.http = http;
        this.options = options;
    }

    public async Task<ODataCustomer?> FindCustomerByInnAsync(string inn, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(Customers, $"ИНН eq {Literal(inn)} and DeletionMark eq false", cancellationToken);
        return rows.Select(row => new ODataCustomer(
            row.GetProperty("Ref_Key").GetGuid(),
            row.GetProperty("DataVersion").GetString() ?? "",
            row.GetProperty("Description").GetString() ?? "",
            OptionalString(row, "ИНН"),
            OptionalString(row, "КПП"))).FirstOrDefault();
    }

    public async Task<ODataOrder?> FindOrderByNumberAsync(string number, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(Orders, $"Number eq {Literal(number)}", cancellationToken);
        return rows.Select(row => new ODataOrder(
            row.GetProperty("Ref_Key").GetGuid(),
            row.GetProperty("DataVersion").GetString() ?? "",
            row.GetProperty("Number").GetString() ?? "",
            DateTime.Parse(row.GetProperty("Date").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            row.GetProperty("Posted").GetBoolean(),
            row.TryGetProperty("СуммаДокумента", out var amount) && amount.ValueKind == JsonValueKind.Number ? amount.GetDecimal() : null)).FirstOrDefault();
    }

    /// <summary>The rows of an entity set matching an OData v3 <c>$filter</c>.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string entitySet, string filter, CancellationToken cancellationToken)
    {
        var url = new Uri(options.BaseUrl, $"odata/standard.odata/{Uri.EscapeDataString(entitySet)}?$format=json&$filter={Uri.EscapeDataString(filter)}");
        var shown = $"GET {UrlForDisplay.Of(url, options.BaseUrlIsSecret)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", options.Authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await PartnerHttp.SendAsync(http, request, shown, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var excerpt = await PartnerHttp.ReadExcerptAsync(response, options.SecretValues, cancellationToken);
            var message = $"{shown} answered {status}" + (excerpt.Length > 0 ? ": " + excerpt : "");
            var verdict = OneCErrorClassifier.Instance.Classify(status, excerpt);
            throw verdict.Kind == FailureKind.Transient ? new TransientFailureException(message) : new PermanentFailureException(verdict.Code, message);
        }
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(row => row.Clone()).ToList()
                : throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{shown}: the answer has no 'value' list");
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{shown}: the answer is not JSON ({ex.Message})", ex);
        }
    }

    /// <summary>An OData string literal: quoted, with quotes doubled, so a value cannot change the filter.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string? OptionalString(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
