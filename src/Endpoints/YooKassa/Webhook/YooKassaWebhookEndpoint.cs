using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Listener;
using Router.Endpoints.YooKassa.Wire;
using Serilog;

namespace Router.Endpoints.YooKassa.Webhook;

/// <summary>
/// YooKassa's HTTP notifications, served on the router's listener. Notifications are not signed, so they are
/// believed only as far as YooKassa's own docs allow: the sender must be in the allowed networks, and the object
/// is fetched again with GET — only the fetched status is handed on. The answer is 200 only once the message is
/// durably with the routes (or was already); anything else makes YooKassa retry for 24 hours.
/// </summary>
public sealed class YooKassaWebhookEndpoint : IHttpInboundEndpoint
{
    private readonly YooKassaOptions options;
    private readonly YooKassaClient client;
    private readonly ILogger logger;

    public YooKassaWebhookEndpoint(string id, YooKassaOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        client = new YooKassaClient(id, options, services);
        logger = services.Logger.ForContext<YooKassaWebhookEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public TimeSpan? PollInterval => null;

    /// <summary>Nothing to poll: YooKassa calls the router.</summary>
    public Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken) => Task.FromResult(PollResult.Empty);

    public void MapRoutes(IEndpointRouteBuilder routes, IInboundSink sink) =>
        routes.MapPost(options.Webhook.Path, async (HttpContext context) =>
        {
            var answer = await HandleAsync(context, sink);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(answer.Text, context.RequestAborted);
        });

    internal async Task<WebhookAnswer> HandleAsync(HttpContext context, IInboundSink sink)
    {
        var cancellationToken = context.RequestAborted;
        var sender = WebhookSource.Resolve(context, options.Webhook.TrustedProxies);
        if (sender is null || !options.Webhook.Allow.Contains(sender))
        {
            logger.Warning("Refused a YooKassa webhook from {Source} (peer {Peer}): not in the allowed networks",
                sender?.ToString() ?? "an unknown address", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return new WebhookAnswer(StatusCodes.Status403Forbidden, "the sender's address is not in the allowed networks");
        }
        var origin = $"yookassa webhook from {sender}";
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return await RefuseAsync(sink, origin, "yookassa:webhook:too-large", StatusCodes.Status413PayloadTooLarge,
                $"the notification is larger than {options.Webhook.MaxBodyBytes} bytes", cancellationToken);
        }
        if (Parse(body, out var problem) is not { } notification)
        {
            return await RefuseAsync(sink, origin, Hash(body), StatusCodes.Status400BadRequest, problem!, cancellationToken);
        }
        var (kind, claimedStatus, objectId, _) = notification;
        try
        {
            var message = kind switch
            {
                "payment" => await PaymentAsync(objectId, claimedStatus, origin, cancellationToken),
                "refund" => await RefundAsync(objectId, claimedStatus, origin, cancellationToken),
                _ => null,
            };
            if (kind is not ("payment" or "refund"))
            {
                // deal.* and payout.* belong to products the router does not use; refusing would only make YooKassa retry for a day.
                logger.Information("Ignored YooKassa event {Event} for {ObjectId}: the router handles payment.* and refund.*", notification.Event, objectId);
                return new WebhookAnswer(StatusCodes.Status200OK, "ignored");
            }
            if (message is null)
            {
                return await RefuseAsync(sink, origin, $"yookassa:{kind}:{objectId}", StatusCodes.Status404NotFound,
                    $"YooKassa does not know {kind} {objectId} (GET answered 404): the notification is not believed", cancellationToken);
            }
            var result = (await sink.HandOffAsync(Id, [message], cancellationToken))[0];
            switch (result.Status)
            {
                case HandOffStatus.Accepted:
                case HandOffStatus.Duplicate:
                    logger.Information("YooKassa {Event} for {ObjectId}: handed off {MessageId} ({Result})", notification.Event, objectId, message.MessageId, result.Status);
                    return new WebhookAnswer(StatusCodes.Status200OK, "ok");
                default:
                    logger.Error("YooKassa {Event} for {ObjectId} was refused by the router: {Error}", notification.Event, objectId, result.Error);
                    return new WebhookAnswer(StatusCodes.Status500InternalServerError, "the router could not take the notification");
            }
        }
        catch (TransientFailureException ex)
        {
            logger.Warning("YooKassa {Event} for {ObjectId} could not be checked now ({Error}); YooKassa will send it again", notification.Event, objectId, ex.Message);
            return new WebhookAnswer(StatusCodes.Status503ServiceUnavailable, "try again later");
        }
        catch (PermanentFailureException ex)
        {
            // Our credentials refused, or YooKassa's object unreadable: a human must look; YooKassa keeps retrying meanwhile.
            logger.Error("YooKassa {Event} for {ObjectId} could not be checked: {Error}", notification.Event, objectId, ex.Message);
            return new WebhookAnswer(StatusCodes.Status500InternalServerError, "the notification could not be checked");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.Error(ex, "YooKassa {Event} for {ObjectId}: hand-off failed", notification.Event, objectId);
            return new WebhookAnswer(StatusCodes.Status500InternalServerError, "the router could not take the notification");
        }
    }

    private async Task<InboundMessage?> PaymentAsync(string paymentId, string? claimedStatus, string origin, CancellationToken cancellationToken)
    {
        var payment = await client.GetPaymentAsync(paymentId, cancellationToken);
        if (payment is null)
        {
            return null;
        }
        WarnIfContradicted("payment", paymentId, claimedStatus, payment.Status, origin);
        return YooKassaCanonical.PaymentMessage(payment, origin);
    }

    private async Task<InboundMessage?> RefundAsync(string refundId, string? claimedStatus, string origin, CancellationToken cancellationToken)
    {
        var refund = await client.GetRefundAsync(refundId, cancellationToken);
        if (refund is null)
        {
            return null;
        }
        WarnIfContradicted("refund", refundId, claimedStatus, refund.Status, origin);
        var payment = await client.GetPaymentAsync(refund.PaymentId, cancellationToken);
        return YooKassaCanonical.RefundMessage(refund, payment?.MetadataValue(YooKassaCanonical.OrderNumberKey) ?? "", origin);
    }

    private void WarnIfContradicted(string kind, string id, string? claimed, string fetched, string origin)
    {
        if (claimed is not null && claimed != fetched)
        {
            // Also normal for a late, out-of-order notification; either way only the fetched status goes on.
            logger.Warning("YooKassa webhook ({Origin}) claimed {Kind} {Id} is {Claimed}, but YooKassa says {Fetched}: handing on {Fetched}",
                origin, kind, id, claimed, fetched, fetched);
        }
    }

    private async Task<WebhookAnswer> RefuseAsync(IInboundSink sink, string origin, string messageId, int status, string reason, CancellationToken cancellationToken)
    {
        logger.Warning("Refused a YooKassa webhook ({Origin}): {Reason}", origin, reason);
        try
        {
            await sink.RecordRejectedAsync(Id, origin, messageId, reason, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.Error(ex, "Could not journal the refused YooKassa webhook ({Origin})", origin);
        }
        return new WebhookAnswer(status, reason);
    }

    internal sealed record ParsedNotification(string Kind, string? ClaimedStatus, string ObjectId, string Event);

    /// <summary>Reads <c>{"type":"notification","event":"x.y","object":{"id":…,"status":…}}</c>; null with the problem otherwise.</summary>
    internal static ParsedNotification? Parse(byte[] body, out string? problem)
    {
        problem = null;
        WireNotification notification;
        try
        {
            notification = JsonSerializer.Deserialize<WireNotification>(body, YooKassaJson.Options) ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException ex)
        {
            problem = $"the notification is not valid JSON: {ex.Message}";
            return null;
        }
        if (notification.Type != "notification")
        {
            problem = $"the notification's type must be 'notification', not '{notification.Type ?? "(missing)"}'";
            return null;
        }
        var eventName = notification.Event ?? "";
        var dot = eventName.IndexOf('.');
        if (dot <= 0)
        {
            problem = $"the notification's event must look like 'payment.succeeded', not '{notification.Event ?? "(missing)"}'";
            return null;
        }
        if (notification.Object.ValueKind != JsonValueKind.Object
            || !notification.Object.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 100 } objectId)
        {
            problem = "the notification's object must be a JSON object with a string id";
            return null;
        }
        var status = notification.Object.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return new ParsedNotification(eventName[..dot], status, objectId, eventName);
    }

    private async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.Webhook.MaxBodyBytes)
            {
                return null;
            }
        }
        return buffer.ToArray();
    }

    private static string Hash(byte[] body) => "yookassa:webhook:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16];

    internal sealed record WebhookAnswer(int Status, string Text);
}
