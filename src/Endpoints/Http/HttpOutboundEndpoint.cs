using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Shared;
using Serilog;

namespace Router.Endpoints.Http;

/// <summary>
/// Sends each message as one JSON request. The idempotency key header lets a well-behaved partner answer a retry
/// with its first answer instead of acting twice.
/// </summary>
public sealed class HttpOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "http";
    public const string ContentType = "application/json; charset=utf-8";
    public const string MessageIdHeader = "X-Message-Id";
    public const string CorrelationIdHeader = "X-Correlation-Id";
    public const string MessageTypeHeader = "X-Message-Type";

    private const int ErrorBodyExcerptBytes = 1024;
    private const int ErrorBodyExcerptChars = 300;

    private readonly HttpOutboundOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;
    private readonly string displayUrl;

    public HttpOutboundEndpoint(string id, HttpOutboundOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        logger = services.Logger.ForContext<HttpOutboundEndpoint>().ForContext("EndpointId", id);
        displayUrl = UrlForDisplay.Of(options.Url, options.UrlIsSecret);
    }

    public string Id { get; }

    public HttpOutboundOptions Options => options;

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var secretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var contentType = ContentType;
        foreach (var header in options.Headers)
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = header.Value;
                continue;
            }
            headers[header.Name] = header.Value;
            if (header.IsSecret || SensitiveHeaders.LooksSecret(header.Name))
            {
                secretHeaders.Add(header.Name);
            }
        }
        if (options.Authorization is not null)
        {
            headers["Authorization"] = options.Authorization;
            secretHeaders.Add("Authorization");
        }
        headers[options.IdempotencyHeader] = context.IdempotencyKey;
        headers[MessageIdHeader] = HeaderValues.Encode(envelope.MessageId);
        headers[CorrelationIdHeader] = HeaderValues.Encode(envelope.EffectiveCorrelationId);
        headers[MessageTypeHeader] = HeaderValues.Encode(envelope.Type);
        foreach (var (name, value) in headers)
        {
            if (!HeaderValues.IsPrintableAscii(value))
            {
                // The value itself may be a secret: name the header only.
                throw new PermanentFailureException("invalid-header", $"header '{name}' for {displayUrl} has characters an HTTP header cannot carry");
            }
        }
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = options.Method.Method,
            Target = options.Url.AbsoluteUri,
            DisplayTarget = displayUrl,
            Headers = headers,
            SecretHeaders = secretHeaders,
            ContentType = contentType,
            Body = DeliveryBody.Serialize(envelope, options.Body),
            Encoding = "utf-8",
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"an http endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        var method = plan.Method ?? options.Method.Method;
        var client = services.Http.Get(Id);
        using var request = BuildRequest(plan, method);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            // The caller's pipeline cancels on its timeout; whether the partner acted is unknown, and the key covers a retry.
            throw new TransientFailureException($"{method} {displayUrl}: no answer before the attempt was cancelled (timeout)", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientFailureException($"{method} {displayUrl}: {Describe(ex)}", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var statusText = $"{status} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
            if (response.IsSuccessStatusCode)
            {
                logger.Debug("Delivered {MessageLeg} to {Method} {Url}: {Status}", context.Leg, method, displayUrl, status);
                return new DeliveryReceipt($"HTTP {statusText}");
            }
            var excerpt = await ReadExcerptAsync(response, cancellationToken);
            var message = $"{method} {displayUrl} answered {statusText}" + (excerpt.Length > 0 ? ": " + excerpt : "");
            if (IsTransient(response.StatusCode))
            {
                var retryAfter = RetryAfterHeader.Read(response.Headers, services.Clock.GetUtcNow());
                throw new TransientFailureException(message, retryAfter: retryAfter);
            }
            throw new PermanentFailureException($"http-{status}", message);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static HttpRequestMessage BuildRequest(DeliveryPlan plan, string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), plan.Target)
        {
            Content = new ByteArrayContent(plan.Body),
        };
        if (plan.ContentType is { } contentType)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (name, value) in plan.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content-Language and friends belong to the content.
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    private static string Describe(HttpRequestException exception)
    {
        var detail = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            detail.Append(" (").Append(inner.Message).Append(')');
        }
        if (exception.HttpRequestError != HttpRequestError.Unknown)
        {
            detail.Append(" [").Append(exception.HttpRequestError).Append(']');
        }
        return detail.ToString();
    }

    /// <summary>The start of an error answer, on one line, with every configured secret scrubbed out.</summary>
    private async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ErrorBodyExcerptBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, filled);
            var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            foreach (var secret in options.SecretValues)
            {
                oneLine = oneLine.Replace(secret, "***", StringComparison.Ordinal);
            }
            return oneLine.Length <= ErrorBodyExcerptChars ? oneLine : oneLine[..ErrorBodyExcerptChars] + "…";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // The status says enough; a body that breaks off must not hide it.
            return "";
        }
    }
}
