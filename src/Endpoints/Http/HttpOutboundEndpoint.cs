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

    private readonly HttpOutboundOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;
    private readonly string displayUrl;
    private readonly IHttpErrorClassifier classifier;

    /// <param name="classifier">How error answers are classified; by status code alone when null.</param>
    public HttpOutboundEndpoint(string id, HttpOutboundOptions options, EndpointServices services, IHttpErrorClassifier? classifier = null)
    {
        Id = id;
        this.options = options;
        this.services = services;
        this.classifier = classifier ?? StatusCodeClassifier.Instance;
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
        using var request = PartnerHttp.BuildRequest(plan, method);
        var response = await PartnerHttp.SendAsync(client, request, $"{method} {displayUrl}", cancellationToken);

        using (response)
        {
            var status = (int)response.StatusCode;
            var statusText = $"{status} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
            if (response.IsSuccessStatusCode)
            {
                logger.Debug("Delivered {MessageLeg} to {Method} {Url}: {Status}", context.Leg, method, displayUrl, status);
                return new DeliveryReceipt($"HTTP {statusText}");
            }
            var excerpt = await PartnerHttp.ReadExcerptAsync(response, options.SecretValues, cancellationToken);
            var message = $"{method} {displayUrl} answered {statusText}" + (excerpt.Length > 0 ? ": " + excerpt : "");
            var verdict = classifier.Classify(status, excerpt);
            if (verdict.Kind == FailureKind.Transient)
            {
                var retryAfter = RetryAfterHeader.Read(response.Headers, services.Clock.GetUtcNow());
                throw new TransientFailureException(message, retryAfter: retryAfter);
            }
            throw new PermanentFailureException(verdict.Code, message);
        }
    }
}
