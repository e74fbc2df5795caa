using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.OneCHttp.Exchange;
using Serilog;

namespace Router.Endpoints.OneCHttp.Sale;

/// <summary>
/// Delivering to an <c>onec-http</c> endpoint in exchange mode: 1C cannot be called, it calls the router, so the
/// CommerceML document (as <c>commerceml-order</c> writes it) joins the queue of the next <c>sale query</c>.
/// Idempotent by order number: a retry or re-delivery replaces the queued document.
/// </summary>
public sealed class SaleQueueOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "onec-sale-queue";

    private readonly SaleQueue queue;
    private readonly ILogger logger;

    public SaleQueueOutboundEndpoint(string id, ExchangeOptions options, EndpointServices services)
    {
        Id = id;
        queue = new SaleQueue(services.FileSystem, options.SaleDir, services.Clock);
        logger = services.Logger.ForContext<SaleQueueOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public SaleQueue Queue => queue;

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var documents = SaleDocument.Parse(TextOf(envelope), $"message {envelope.MessageId}");
        // The plan's body is what will be queued, so preview shows exactly what 1C's next query will contain.
        var body = new StringBuilder($"<{SaleDocument.RootName}>");
        foreach (var document in documents)
        {
            body.Append(document.Xml);
        }
        body.Append($"</{SaleDocument.RootName}>");
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Target = queue.PendingDir,
            DisplayTarget = $"1C sale query queue {queue.PendingDir} (orders {string.Join(", ", documents.Select(d => d.Number))})",
            ContentType = "application/xml",
            Body = Encoding.UTF8.GetBytes(body.ToString()),
            Encoding = "utf-8",
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"an onec-http exchange endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        var documents = SaleDocument.Parse(Encoding.UTF8.GetString(plan.Body), context.Leg);
        try
        {
            await queue.EnqueueAsync(documents, cancellationToken);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PermanentFailureException("permission-denied", $"cannot write to {queue.PendingDir}: permission denied", ex);
        }
        var numbers = string.Join(", ", documents.Select(d => d.Number));
        logger.Debug("Queued orders {Numbers} for 1C's next sale query ({MessageLeg})", numbers, context.Leg);
        return new DeliveryReceipt($"queued for 1C's sale query: {numbers}");
    }

    private static string TextOf(Envelope envelope)
    {
        var payload = envelope.Payload;
        if (payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return text.GetString()!;
        }
        throw new PermanentFailureException(ErrorCodes.MalformedInput,
            $"message {envelope.MessageId}: an onec-http exchange endpoint queues CommerceML documents for 1C and expects a payload " +
            "{ \"text\": \"<КоммерческаяИнформация…>\" } as commerceml-order writes it; put commerceml-order before it in the route");
    }
}
