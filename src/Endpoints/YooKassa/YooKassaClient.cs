using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Endpoints.Http;
using Router.Endpoints.YooKassa.Wire;
using Serilog;

namespace Router.Endpoints.YooKassa;

/// <summary>
/// YooKassa refused a request with a 4xx: it did nothing, and the same key would only replay the refusal, so the
/// next attempt must use a new Idempotence-Key (the docs: "4xx — fix the request and repeat with a new key").
/// </summary>
public sealed class YooKassaRefusedException : PermanentFailureException
{
    public YooKassaRefusedException(int status, WireError? error, string message)
        : base(error?.Code is { Length: > 0 } code ? "yookassa-" + code : "http-" + status, message)
    {
        Status = status;
        Error = error;
    }

    public int Status { get; }

    public WireError? Error { get; }

    public bool IsDuplicatedKey => Error?.Description?.Contains("Idempotence key duplicated", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>
/// YooKassa API v3 over HTTP: Basic auth with shopId and secret key, <c>Idempotence-Key</c> on every POST, JSON both
/// ways. Answers are classified the way YooKassa's own guidance says: 200 is the object; 202 means "not finished,
/// repeat after retry_after ms with the same key"; 500 means the outcome is unknown — repeat with the same key;
/// 429 is transient; any other 4xx means nothing happened and no repeat of the same request will help.
/// </summary>
public sealed class YooKassaClient
{
    public const string IdempotenceKeyHeader = "Idempotence-Key";
    public const string ContentType = "application/json";

    /// <summary>The official SDKs wait this long when a 202 names no retry_after.</summary>
    public static readonly TimeSpan DefaultAcceptedDelay = TimeSpan.FromMilliseconds(1800);

    private const int MaxAnswerBytes = 1024 * 1024;

    private readonly string endpointId;
    private readonly YooKassaOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;

    public YooKassaClient(string endpointId, YooKassaOptions options, EndpointServices services)
    {
        this.endpointId = endpointId;
        this.options = options;
        this.services = services;
        logger = services.Logger.ForContext<YooKassaClient>().ForContext("EndpointId", endpointId);
    }

    public Uri UrlOf(string relativePath) => new(options.BaseUrl, relativePath);

    public string Display(string relativePath) => UrlForDisplay.Of(UrlOf(relativePath), options.BaseUrlIsSecret);

    /// <summary>GET /payments/{id}; null when YooKassa does not know it (404).</summary>
    public async Task<WirePayment?> GetPaymentAsync(string paymentId, CancellationToken cancellationToken)
    {
        var json = await GetAsync("payments/" + Uri.EscapeDataString(paymentId), cancellationToken);
        return json is null ? null : ParseObject<WirePayment>(json, "payment");
    }

    /// <summary>GET /refunds/{id}; null when YooKassa does not know it (404).</summary>
    public async Task<WireRefund?> GetRefundAsync(string refundId, CancellationToken cancellationToken)
    {
        var json = await GetAsync("refunds/" + Uri.EscapeDataString(refundId), cancellationToken);
        return json is null ? null : ParseObject<WireRefund>(json, "refund");
    }

    /// <summary>
    /// POSTs <paramref name="body"/> with <paramref name="idempotenceKey"/>, waiting out up to
    /// <see cref="YooKassaOptions.AcceptedRetries"/> 202 answers by repeating the same request with the same key.
    /// Returns the answer's JSON.
    /// </summary>
    public async Task<string> PostAsync(string relativePath, byte[] body, string idempotenceKey, CancellationToken cancellationToken)
    {
        for (var accepted = 0; ; accepted++)
        {
            var answer = await SendAsync(HttpMethod.Post, relativePath, body, idempotenceKey, cancellationToken);
            if (answer.Status != 202)
            {
                return answer.Json;
            }
            var wait = RetryAfterOf(answer.Json) ?? DefaultAcceptedDelay;
            if (accepted >= options.AcceptedRetries || wait > options.MaxAcceptedWait)
            {
                throw new TransientFailureException(
                    $"POST {Display(relativePath)} was accepted but not finished (HTTP 202) after {accepted + 1} tries; repeat with the same Idempotence-Key after {wait.TotalMilliseconds:0} ms",
                    retryAfter: wait);
            }
            logger.Debug("YooKassa answered 202 to POST {Path}; repeating with the same key in {Wait}", relativePath, wait);
            await Task.Delay(wait, services.Clock, cancellationToken);
        }
    }

    private async Task<string?> GetAsync(string relativePath, CancellationToken cancellationToken)
    {
        try
        {
            return (await SendAsync(HttpMethod.Get, relativePath, null, null, cancellationToken)).Json;
        }
        catch (YooKassaRefusedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<(int Status, string Json)> SendAsync(HttpMethod method, string relativePath, byte[]? body, string? idempotenceKey, CancellationToken cancellationToken)
    {
        var what = $"{method.Method} {Display(relativePath)}";
        using var request = new HttpRequestMessage(method, UrlOf(relativePath));
        request.Headers.TryAddWithoutValidation("Authorization", options.Authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotenceKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotenceKeyHeader, idempotenceKey);
        }
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }
        using var response = await PartnerHttp.SendAsync(services.Http.Get(endpointId), request, what, cancellationToken);
        var status = (int)response.StatusCode;
        string text;
        try
        {
            text = await ReadAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new TransientFailureException($"{what}: the answer ({status}) broke off: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientFailureException($"{what}: the answer ({status}) broke off", ex);
        }
        if (status is 200 or 202)
        {
            return (status, text);
        }
        throw Classify(what, status, text, response.Headers);
    }

    private Exception Classify(string what, int status, string text, HttpResponseHeaders headers)
    {
        var error = TryParseError(text);
        var said = error is null ? Excerpt(text) : Describe(error);
        var message = $"{what} answered {status}" + (said.Length > 0 ? ": " + said : "");
        if (status is 429 or 408 || status >= 500)
        {
            var retryAfter = RetryAfterHeader.Read(headers, services.Clock.GetUtcNow())
                ?? (error?.RetryAfter is { } ms and > 0 ? TimeSpan.FromMilliseconds(ms) : null);
            return new TransientFailureException(status >= 500
                ? message + " (outcome unknown; repeated with the same Idempotence-Key)"
                : message, retryAfter: retryAfter);
        }
        var refused = new YooKassaRefusedException(status, error, message);
        if (refused.IsDuplicatedKey)
        {
            return new YooKassaRefusedException(status, error,
                $"{what} answered {status}: Idempotence key duplicated — this key was already used with a different request body " +
                "(the message changed since its first delivery); YooKassa did nothing, and the next attempt uses a new key");
        }
        return refused;
    }

    private string Describe(WireError error)
    {
        var text = new StringBuilder(error.Code ?? "error");
        if (error.Description is { Length: > 0 } description)
        {
            text.Append(" — ").Append(description);
        }
        if (error.Parameter is { Length: > 0 } parameter)
        {
            text.Append(" (parameter ").Append(parameter).Append(')');
        }
        if (error.Id is { Length: > 0 } id)
        {
            text.Append(" [error id ").Append(id).Append(']');
        }
        return Scrub(text.ToString());
    }

    private string Excerpt(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        oneLine = Scrub(oneLine);
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }

    private string Scrub(string text)
    {
        foreach (var secret in options.SecretValues)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }

    private static WireError? TryParseError(string text)
    {
        try
        {
            var error = YooKassaJson.Deserialize<WireError>(text);
            return error.Type == "error" || error.Code is not null ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfterOf(string json)
    {
        try
        {
            return YooKassaJson.Deserialize<WireError>(json).RetryAfter is { } ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private T ParseObject<T>(string json, string what)
    {
        try
        {
            return YooKassaJson.Deserialize<T>(json);
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"YooKassa's {what} object could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the answer, at most <see cref="MaxAnswerBytes"/>; a larger one is not a YooKassa object.</summary>
    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxAnswerBytes)
            {
                break;
            }
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, MaxAnswerBytes));
    }
}
