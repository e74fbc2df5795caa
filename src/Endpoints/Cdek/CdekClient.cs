using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Http;

namespace Router.Endpoints.Cdek;

/// <summary>
/// CDEK API v2 over one HttpClient: bearer token from <see cref="CdekTokenSource"/> (one retry with a fresh token
/// after a 401), and CDEK's errors read from the body whatever the status: an INVALID request or an
/// <c>errors</c> array can come with 200 or 202.
/// </summary>
public sealed class CdekClient
{
    public const string ErrorCode = "cdek-error";

    /// <summary>CDEK's codes for trouble on its side, worth a retry.</summary>
    private static readonly HashSet<string> TransientErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "v2_internal_error", "v2_similar_request_still_processed",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "v2_entity_not_found", "v2_order_not_found",
    };

    private readonly HttpClient http;
    private readonly CdekOptions options;

    public CdekClient(HttpClient http, CdekOptions options, TimeProvider clock)
    {
        this.http = http;
        this.options = options;
        Tokens = new CdekTokenSource(http, options, clock);
    }

    public CdekTokenSource Tokens { get; }

    public Uri UrlOf(string relative) => new(options.BaseUrl, relative);

    /// <summary>POST /orders: CDEK answers 202 with the new entity's uuid and a CREATE request ACCEPTED.</summary>
    public async Task<CdekEnvelope> CreateOrderAsync(string orderJson, CancellationToken cancellationToken)
    {
        var envelope = await SendAsync(HttpMethod.Post, "orders", orderJson, cancellationToken) ?? throw NoAnswer("orders");
        if (envelope.Entity?.Uuid is null)
        {
            throw Refused("POST orders", envelope);
        }
        return envelope;
    }

    public Task<CdekEnvelope?> GetOrderAsync(string uuid, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "orders/" + Uri.EscapeDataString(uuid), null, cancellationToken, notFoundIsNull: true);

    /// <summary>GET /orders?im_number=: the shop's own order number, how a lost create is found again.</summary>
    public Task<CdekEnvelope?> FindOrderAsync(string orderNumber, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "orders?im_number=" + Uri.EscapeDataString(orderNumber), null, cancellationToken, notFoundIsNull: true);

    /// <summary>DELETE /orders/{uuid}: CDEK allows it only while the order is CREATED (the answer may say INVALID then).</summary>
    public async Task<CdekEnvelope> DeleteOrderAsync(string uuid, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, "orders/" + Uri.EscapeDataString(uuid), null, cancellationToken) ?? throw NoAnswer("orders/" + uuid);

    /// <summary>POST /orders/{uuid}/refusal: after the order started moving, the shop can only refuse it.</summary>
    public async Task<CdekEnvelope> RefuseOrderAsync(string uuid, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, $"orders/{Uri.EscapeDataString(uuid)}/refusal", "{}", cancellationToken) ?? throw NoAnswer($"orders/{uuid}/refusal");

    /// <summary>POST /calculator/tariff: the price and days of one tariff between two places.</summary>
    public async Task<CdekTariff> CalculateTariffAsync(CdekTariffRequest request, CancellationToken cancellationToken)
    {
        var (_, body) = await SendRawAsync(HttpMethod.Post, "calculator/tariff", JsonSerializer.Serialize(request, CdekJson.Options), cancellationToken, notFoundIsNull: false);
        var tariff = Parse<CdekTariff>(body!, "calculator/tariff");
        if (tariff.Errors is { Count: > 0 } errors)
        {
            throw Classified("POST calculator/tariff", errors);
        }
        return tariff;
    }

    private async Task<CdekEnvelope?> SendAsync(HttpMethod method, string relative, string? json, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        var (status, body) = await SendRawAsync(method, relative, json, cancellationToken, notFoundIsNull);
        if (body is null)
        {
            return null;
        }
        var envelope = Parse<CdekEnvelope>(body, relative);
        if (notFoundIsNull && envelope.Entity is null && envelope.AllErrors.Any(e => e.Code is { } code && NotFoundCodes.Contains(code)))
        {
            return null;
        }
        if (envelope.Entity is null && envelope.AllErrors.Count > 0)
        {
            throw Classified($"{method} {relative} ({status})", envelope.AllErrors);
        }
        return envelope;
    }

    /// <returns>The status and body of a 2xx answer; a null body for a 404 when <paramref name="notFoundIsNull"/>.</returns>
    private async Task<(int Status, string? Body)> SendRawAsync(HttpMethod method, string relative, string? json, CancellationToken cancellationToken, bool notFoundIsNull)
    {
        var url = UrlOf(relative);
        var what = $"{method} {url.GetLeftPart(UriPartial.Path)}";
        for (var attempt = 1; ; attempt++)
        {
            var token = await Tokens.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            using var response = await PartnerHttp.SendAsync(http, request, what, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                // The token expired early or was revoked: one retry with a fresh one, never a loop.
                Tokens.Reject(token);
                continue;
            }
            if (response.IsSuccessStatusCode)
            {
                return (status, await response.Content.ReadAsStringAsync(cancellationToken));
            }
            var text = await ReadLimitedAsync(response, cancellationToken);
            if (status == 404 && notFoundIsNull)
            {
                return (status, null);
            }
            var excerpt = Scrub(text);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new TransientFailureException($"{what}: CDEK refused a freshly issued token (401): {excerpt}");
            }
            if (TryParse<CdekEnvelope>(text) is { } failed && failed.AllErrors.Count > 0 && !StatusCodeClassifier.IsTransientStatus(status))
            {
                throw Classified($"{what} ({status})", failed.AllErrors);
            }
            if (StatusCodeClassifier.IsTransientStatus(status))
            {
                throw new TransientFailureException($"{what}: CDEK answered {status}: {excerpt}", retryAfter: RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow));
            }
            throw new PermanentFailureException($"http-{status}", $"{what}: CDEK answered {status}: {excerpt}");
        }
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length > 4096 ? text[..4096] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private string Scrub(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var secret in options.SecretValues)
        {
            oneLine = oneLine.Replace(secret, "***", StringComparison.Ordinal);
        }
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }

    /// <summary>CDEK's error codes decide: its own trouble is transient, anything about the request is permanent.</summary>
    public static Exception Classified(string what, IReadOnlyList<CdekError> errors)
    {
        var text = $"{what}: CDEK reported {string.Join("; ", errors)}";
        return errors.Count > 0 && errors.All(e => e.Code is { } code && TransientErrorCodes.Contains(code))
            ? new TransientFailureException(text)
            : new PermanentFailureException(ErrorCode, text);
    }

    private static Exception Refused(string what, CdekEnvelope envelope) => envelope.AllErrors.Count > 0
        ? Classified(what, envelope.AllErrors)
        : new TransientFailureException($"{what}: CDEK's answer names no entity uuid");

    private static TransientFailureException NoAnswer(string relative) => new($"{relative}: CDEK answered with an empty body");

    private static T Parse<T>(string body, string relative) =>
        TryParse<T>(body) ?? throw new TransientFailureException($"{relative}: CDEK's answer is not the JSON expected: {(body.Length > 200 ? body[..200] + "…" : body)}");

    private static T? TryParse<T>(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(body, CdekJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
