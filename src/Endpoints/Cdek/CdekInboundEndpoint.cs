using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Endpoints.Listener;
using Serilog;

namespace Router.Endpoints.Cdek;

/// <summary>
/// What CDEK tells the router about its orders, from two sides. Its ORDER_STATUS webhooks arrive unsigned at
/// <c>&lt;path&gt;/&lt;secret&gt;</c>, so the secret in the path is what tells them from forgeries; CDEK sends each
/// one once and never retries, so every order in a non-final state is also re-read on the poll interval.
/// Both hand off <c>shipment.status-changed</c> with the id <c>cdek:&lt;uuid&gt;:&lt;code&gt;</c>: a status heard both
/// ways is an inbox duplicate.
/// </summary>
public class CdekInboundEndpoint : IInboundEndpoint
{
    public const int MaxWebhookBytes = 256 * 1024;
    private const int PollBatch = 100;

    private readonly CdekOptions options;
    private readonly EndpointServices services;
    private readonly CdekTracker tracker;
    private readonly ILogger logger;
    private readonly byte[]? secret;

    public CdekInboundEndpoint(string id, CdekOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        Client = new CdekClient(services.Http.Get(id), options, services.Clock);
        tracker = new CdekTracker(id, services, options.Poll);
        logger = services.Logger.ForContext<CdekInboundEndpoint>().ForContext("EndpointId", id);
        secret = options.WebhookSecret is null ? null : Encoding.UTF8.GetBytes(options.WebhookSecret);
    }

    public string Id { get; }

    public CdekClient Client { get; }

    public TimeSpan? PollInterval => options.Poll;

    public void MapRoutes(IEndpointRouteBuilder routes, IInboundSink sink)
    {
        if (secret is null)
        {
            return;
        }
        routes.MapPost(options.WebhookPath + "/{secret}", (HttpContext context, string secret) => HandleWebhookAsync(context, secret, sink));
    }

    /// <summary>One webhook call: the secret checked, the status handed off, 200 only once it is safe.</summary>
    public async Task HandleWebhookAsync(HttpContext context, string presented, IInboundSink sink)
    {
        var cancellationToken = context.RequestAborted;
        if (!SecretMatches(presented))
        {
            // Never log what was presented: a near miss may be the real secret with a typo.
            logger.Warning("CDEK webhook refused: the path does not carry the configured secret (from {RemoteAddress})", context.Connection.RemoteIpAddress?.ToString());
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        CdekWebhook? webhook;
        try
        {
            var body = await ReadBodyAsync(context.Request, cancellationToken);
            webhook = JsonSerializer.Deserialize<CdekWebhook>(body, CdekJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            logger.Warning("CDEK webhook with an unreadable body: {Error}", ex.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (webhook is null || !string.Equals(webhook.Type, CdekWebhook.OrderStatusType, StringComparison.OrdinalIgnoreCase))
        {
            logger.Debug("CDEK webhook of type {Type} ignored", webhook?.Type);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        if (webhook.Uuid is not { Length: > 0 } uuid || webhook.Attributes?.Code is not { } code || string.IsNullOrWhiteSpace(code))
        {
            logger.Warning("CDEK ORDER_STATUS webhook without an order uuid or status code ignored");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        try
        {
            // Unsigned, so the webhook is only a cue: what is handed on is the order as CDEK's API shows it, in
            // the same shape as a create's reply and a poll, so one status heard twice is one message.
            var entity = (await Client.GetOrderAsync(uuid, cancellationToken))?.Entity;
            if (entity?.Number is not { Length: > 0 } number)
            {
                logger.Warning("CDEK webhook for order {Uuid}: CDEK's API does not know the order or its shop number; left to polling", uuid);
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
            var claimed = CdekStatusCodes.Normalise(code);
            var history = entity.History;
            if (!history.Any(s => s.NormalisedCode == claimed))
            {
                logger.Warning("CDEK webhook for order {OrderNumber} says {Code}, which the order read back does not show; handing on what the API says",
                    number, claimed);
            }
            var messages = history.Select(s => CdekTracker.Message(uuid, CdekTracker.StatusOf(number, entity, s), $"cdek webhook {uuid}")).ToList();
            var results = messages.Count == 0 ? [] : await sink.HandOffAsync(Id, messages, cancellationToken);
            if (results.FirstOrDefault(r => r.Status == HandOffStatus.Rejected) is { } refused)
            {
                logger.Warning("CDEK webhook for order {OrderNumber} rejected by the router: {Error}", number, refused.Error);
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return;
            }
            if (history.Count > 0)
            {
                await RememberAsync(number, uuid, entity.CdekNumber, history[^1].NormalisedCode, cancellationToken);
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException or HttpRequestException)
        {
            // CDEK will not retry, but polling reads the order again.
            logger.Warning("CDEK webhook for order {Uuid} not taken: {Error}", uuid, ex.Message);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }

    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        var due = await services.Records.ListDueAsync(Id, services.Clock.GetUtcNow(), PollBatch, cancellationToken);
        int accepted = 0, duplicates = 0, rejected = 0, waiting = 0;
        foreach (var record in due)
        {
            var known = CdekOrderRecord.From(record);
            if (known.Uuid is null)
            {
                continue;
            }
            CdekEnvelope? order;
            try
            {
                order = await Client.GetOrderAsync(known.Uuid, cancellationToken);
            }
            catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException)
            {
                logger.Warning("CDEK order {Uuid} ({OrderNumber}) could not be read: {Error}", known.Uuid, record.Key, ex.Message);
                waiting++;
                continue;
            }
            if (order?.Entity is not { } entity)
            {
                logger.Warning("CDEK no longer knows order {Uuid} ({OrderNumber}); polling it stops", known.Uuid, record.Key);
                await tracker.SaveAsync(record.Key, CdekOrderRecord.Final, known, cancellationToken);
                continue;
            }
            var unseen = CdekTracker.Unseen(entity, known.LastCode);
            if (unseen.Count > 0)
            {
                var messages = unseen.Select(s => CdekTracker.Message(known.Uuid, CdekTracker.StatusOf(record.Key, entity, s), $"cdek poll {known.Uuid}")).ToList();
                var results = await sink.HandOffAsync(Id, messages, cancellationToken);
                accepted += results.Count(r => r.Status == HandOffStatus.Accepted);
                duplicates += results.Count(r => r.Status == HandOffStatus.Duplicate);
                rejected += results.Count(r => r.Status == HandOffStatus.Rejected);
            }
            var last = entity.Current?.NormalisedCode ?? known.LastCode;
            await tracker.SaveAsync(record.Key, CdekOrderRecord.Tracking, known with { CdekNumber = entity.CdekNumber ?? known.CdekNumber, LastCode = last }, cancellationToken);
        }
        return new PollResult(accepted, duplicates, rejected, waiting);
    }

    private async Task RememberAsync(string number, string uuid, string? cdekNumber, string code, CancellationToken cancellationToken)
    {
        var record = await tracker.GetAsync(number, cancellationToken);
        var known = CdekOrderRecord.From(record);
        if (record is not null && known.Uuid is not null && known.Uuid != uuid)
        {
            return; // another order under the same number (a return order): not the one being tracked
        }
        // A late webhook may name an older status; the next poll then re-sends later ones, which are inbox duplicates.
        var data = known with { Uuid = uuid, CdekNumber = cdekNumber ?? known.CdekNumber, LastCode = code };
        await tracker.SaveAsync(number, CdekOrderRecord.Tracking, data, cancellationToken);
    }

    private bool SecretMatches(string presented) =>
        secret is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), secret);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBytes)
            {
                throw new InvalidDataException($"the webhook body is larger than {MaxWebhookBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// A <c>cdek</c> endpoint with <c>webhook:</c> configured: the same polling, plus the webhook route on the router's
/// listener. Without a webhook the endpoint is not an HTTP endpoint at all, so no listener is required.
/// </summary>
public sealed class CdekWebhookInboundEndpoint : CdekInboundEndpoint, IHttpInboundEndpoint
{
    public CdekWebhookInboundEndpoint(string id, CdekOptions options, EndpointServices services)
        : base(id, options, services)
    {
        if (options.WebhookSecret is null)
        {
            throw new ArgumentException($"endpoint '{id}' has no webhook secret", nameof(options));
        }
    }
}
