using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Transformers.Carriers;
using Router.Transformers.Cdek;
using Serilog;

namespace Router.Endpoints.Cdek;

/// <summary>
/// Registers and cancels CDEK orders. CDEK has no idempotency key, and a create whose answer was lost may still have
/// registered the order, so the order number (im_number) is claimed in the partner records before the first POST
/// and any later attempt looks the order up by it before creating. The create is asynchronous (202, then a CREATE
/// request that turns SUCCESSFUL or INVALID), so the endpoint follows it for <see cref="CdekOptions.ConfirmWait"/>
/// and otherwise leaves the rest to a redelivery, which finds the order by its number.
/// </summary>
public sealed class CdekOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "cdek";
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    private readonly CdekOptions options;
    private readonly EndpointServices services;
    private readonly CdekTracker tracker;
    private readonly ILogger logger;

    public CdekOutboundEndpoint(string id, CdekOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        Client = new CdekClient(services.Http.Get(id), options, services.Clock);
        tracker = new CdekTracker(id, services, options.Poll);
        logger = services.Logger.ForContext<CdekOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public CdekClient Client { get; }

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        switch (envelope.Type)
        {
            case MessageTypes.ShipmentRequested:
            {
                var request = Read<ShipmentRequest>(envelope);
                CheckCarrier(request.Carrier, request.OrderNumber);
                JsonObject order;
                try
                {
                    order = CdekOrderMapping.ToCdekOrder(request, options.Shipment);
                }
                catch (ShipmentMappingException ex)
                {
                    throw new PermanentFailureException(ErrorCodes.SchemaViolation, $"endpoint '{Id}': {ex.Message}", ex);
                }
                return new DeliveryPlan
                {
                    Kind = PlanKind,
                    Method = HttpMethod.Post.Method,
                    Target = Client.UrlOf("orders").AbsoluteUri,
                    Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer <token from oauth/token>" },
                    SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Authorization" },
                    ContentType = "application/json",
                    Body = Encoding.UTF8.GetBytes(order.ToJsonString(CdekJson.Options)),
                };
            }
            case MessageTypes.ShipmentCancelRequested:
            {
                var cancellation = Read<ShipmentCancellation>(envelope);
                CheckCarrier(cancellation.Carrier, cancellation.OrderNumber);
                // The wire call is DELETE (or a refusal once the order moved); the plan's body is the cancellation it acts on.
                var target = cancellation.CarrierOrderId is { Length: > 0 } uuid
                    ? Client.UrlOf("orders/" + Uri.EscapeDataString(uuid))
                    : Client.UrlOf("orders?im_number=" + Uri.EscapeDataString(cancellation.OrderNumber));
                return new DeliveryPlan
                {
                    Kind = PlanKind,
                    Method = HttpMethod.Delete.Method,
                    Target = target.AbsoluteUri,
                    ContentType = "application/json",
                    Body = Encoding.UTF8.GetBytes(RouterJson.Serialize(cancellation)),
                };
            }
            default:
                throw new PermanentFailureException(ErrorCodes.UnknownMessageType,
                    $"endpoint '{Id}' (cdek) sends {MessageTypes.ShipmentRequested} and {MessageTypes.ShipmentCancelRequested}, not '{envelope.Type}'");
        }
    }

    public Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken) => plan.Method switch
    {
        "POST" => CreateAsync(plan, context, cancellationToken),
        "DELETE" => CancelAsync(plan, cancellationToken),
        _ => throw new ArgumentException($"endpoint '{Id}' did not plan {plan.Method} {plan.ShownTarget}", nameof(plan)),
    };

    private async Task<DeliveryReceipt> CreateAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetString(plan.Body);
        var number = JsonNode.Parse(body)?["number"]?.GetValue<string>()
            ?? throw new ArgumentException($"endpoint '{Id}': the planned order has no number", nameof(plan));

        var existing = await tracker.GetAsync(number, cancellationToken);
        var known = CdekOrderRecord.From(existing);
        string? uuid = known.Uuid;
        if (uuid is null && (existing is not null || context.Attempt > 1))
        {
            // An earlier attempt may have registered the order and lost the answer: find it before creating another.
            var found = await Client.FindOrderAsync(number, cancellationToken);
            uuid = found?.Entity?.Uuid;
            if (uuid is not null)
            {
                logger.Information("CDEK order {OrderNumber} was already registered as {Uuid}; not creating it again", number, uuid);
            }
        }
        if (uuid is null)
        {
            await tracker.ClaimAsync(number, cancellationToken);
            var created = await Client.CreateOrderAsync(body, cancellationToken);
            uuid = created.Entity!.Uuid!;
            if (created.RequestOf("CREATE") is { } request && request.Is(CdekRequest.Invalid))
            {
                return await InvalidAsync(number, uuid, request, cancellationToken);
            }
            logger.Information("CDEK accepted order {OrderNumber} as {Uuid}", number, uuid);
        }
        await tracker.SaveAsync(number, CdekOrderRecord.Accepted, known with { Uuid = uuid }, cancellationToken);
        return await FollowCreateAsync(number, uuid, cancellationToken);
    }

    /// <summary>Reads the order until its CREATE request is decided, for at most <see cref="CdekOptions.ConfirmWait"/>.</summary>
    private async Task<DeliveryReceipt> FollowCreateAsync(string number, string uuid, CancellationToken cancellationToken)
    {
        var deadline = services.Clock.GetUtcNow() + options.ConfirmWait;
        while (true)
        {
            var envelope = await Client.GetOrderAsync(uuid, cancellationToken)
                ?? throw new TransientFailureException($"CDEK order {uuid} ({number}) was accepted but cannot be read yet");
            var request = envelope.RequestOf("CREATE");
            if (request is not null && request.Is(CdekRequest.Invalid))
            {
                return await InvalidAsync(number, uuid, request, cancellationToken);
            }
            var entity = envelope.Entity;
            if (entity is not null && (request is null || request.Is(CdekRequest.Successful)) && !string.IsNullOrEmpty(entity.CdekNumber))
            {
                return await RegisteredAsync(number, uuid, entity, cancellationToken);
            }
            if (services.Clock.GetUtcNow() >= deadline)
            {
                throw new TransientFailureException(
                    $"CDEK order {uuid} ({number}) is still {request?.State ?? "being registered"} after {options.ConfirmWait}; a redelivery finds it by its number");
            }
            await Task.Delay(FollowInterval, services.Clock, cancellationToken);
        }
    }

    private async Task<DeliveryReceipt> RegisteredAsync(string number, string uuid, CdekOrderEntity entity, CancellationToken cancellationToken)
    {
        var history = entity.History;
        var statuses = history.Count > 0 ? history : [new CdekStatusEntry { Code = CdekStatusCodes.Created, Name = "Создан" }];
        var replies = statuses.Select(s => CdekTracker.Message(uuid, CdekTracker.StatusOf(number, entity, s), $"cdek order {uuid}")).ToList();
        await tracker.SaveAsync(number, CdekOrderRecord.Tracking,
            new CdekOrderRecord { Uuid = uuid, CdekNumber = entity.CdekNumber, LastCode = statuses[^1].NormalisedCode }, cancellationToken);
        return new DeliveryReceipt($"CDEK order {uuid}, cdek_number {entity.CdekNumber}, status {statuses[^1].NormalisedCode}") { Replies = replies };
    }

    /// <summary>CDEK's definitive refusal of a create: a status for the saga to compensate on, not an exception.</summary>
    private async Task<DeliveryReceipt> InvalidAsync(string number, string uuid, CdekRequest request, CancellationToken cancellationToken)
    {
        var reason = string.Join("; ", (request.Errors ?? []).Select(e => e.ToString()));
        var status = new ShipmentStatus
        {
            OrderNumber = number,
            Carrier = CdekTracker.Carrier,
            State = ShipmentState.Invalid,
            CarrierCode = CdekRequest.Invalid,
            CarrierName = reason.Length > 0 ? reason : "CDEK refused the order without a reason",
            ChangedAt = CdekDateTime.Parse(request.DateTime) ?? services.Clock.GetUtcNow(),
        };
        await tracker.SaveAsync(number, CdekOrderRecord.Invalid, new CdekOrderRecord { Uuid = uuid, LastCode = CdekRequest.Invalid }, cancellationToken);
        logger.Warning("CDEK refused order {OrderNumber} ({Uuid}): {Reason}", number, uuid, status.CarrierName);
        return new DeliveryReceipt($"CDEK order {uuid} INVALID: {status.CarrierName}") { Replies = [CdekTracker.Message(uuid, status, $"cdek order {uuid}")] };
    }

    private async Task<DeliveryReceipt> CancelAsync(DeliveryPlan plan, CancellationToken cancellationToken)
    {
        var cancellation = RouterJson.Deserialize<ShipmentCancellation>(Encoding.UTF8.GetString(plan.Body));
        var number = cancellation.OrderNumber;
        var record = await tracker.GetAsync(number, cancellationToken);
        var known = CdekOrderRecord.From(record);
        var uuid = cancellation.CarrierOrderId is { Length: > 0 } given ? given : known.Uuid;
        CdekEnvelope? order = uuid is null ? await Client.FindOrderAsync(number, cancellationToken) : await Client.GetOrderAsync(uuid, cancellationToken);
        if (order?.Entity?.Uuid is not { } foundUuid)
        {
            throw new PermanentFailureException(CdekClient.ErrorCode, $"CDEK has no order {uuid ?? number} to cancel");
        }
        uuid = foundUuid;
        var entity = order.Entity;
        var current = entity.Current?.NormalisedCode ?? CdekStatusCodes.Created;
        string code;
        if (current == CdekStatusCodes.Removed)
        {
            code = CdekStatusCodes.Removed; // a redelivery after the delete went through
        }
        else if (CdekStatusCodes.MayDelete(current))
        {
            var deleted = await Client.DeleteOrderAsync(uuid, cancellationToken);
            if (deleted.RequestOf("DELETE") is { } request && request.Is(CdekRequest.Invalid))
            {
                // The order started moving between the read and the delete: refuse it instead.
                logger.Information("CDEK would not delete order {Uuid} ({Errors}); refusing it", uuid, string.Join("; ", request.Errors ?? []));
                await RefuseAsync(uuid, cancellationToken);
                code = RefusedCode;
            }
            else
            {
                code = CdekStatusCodes.Removed;
            }
        }
        else if (CdekStatusCodes.IsFinal(current))
        {
            throw new PermanentFailureException(CdekClient.ErrorCode, $"CDEK order {uuid} ({number}) is already {current}; it cannot be cancelled");
        }
        else
        {
            await RefuseAsync(uuid, cancellationToken);
            code = RefusedCode;
        }
        var status = new ShipmentStatus
        {
            OrderNumber = number,
            Carrier = CdekTracker.Carrier,
            State = ShipmentState.Cancelled,
            CarrierCode = code,
            CarrierName = cancellation.Reason,
            TrackingNumber = entity.CdekNumber,
            ChangedAt = services.Clock.GetUtcNow(),
        };
        await tracker.SaveAsync(number, CdekOrderRecord.Final, known with { Uuid = uuid, CdekNumber = entity.CdekNumber, LastCode = code }, cancellationToken);
        return new DeliveryReceipt($"CDEK order {uuid} cancelled ({code})") { Replies = [CdekTracker.Message(uuid, status, $"cdek order {uuid}")] };
    }

    /// <summary>Not a CDEK status code: the router's word for "refusal requested", so its reply id differs from a delete's.</summary>
    public const string RefusedCode = "REFUSAL_REQUESTED";

    private async Task RefuseAsync(string uuid, CancellationToken cancellationToken)
    {
        var refused = await Client.RefuseOrderAsync(uuid, cancellationToken);
        if (refused.Requests?.FirstOrDefault(r => r.Is(CdekRequest.Invalid)) is { } invalid)
        {
            throw CdekClient.Classified($"POST orders/{uuid}/refusal", invalid.Errors ?? [new CdekError { Code = "INVALID", Message = "refusal refused" }]);
        }
    }

    private T Read<T>(Envelope envelope)
    {
        try
        {
            return envelope.Payload.Deserialize<T>(RouterJson.Options) ?? throw new JsonException("null payload");
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"endpoint '{Id}': {envelope.Type} payload is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private void CheckCarrier(string carrier, string orderNumber)
    {
        if (!string.Equals(carrier, CdekTracker.Carrier, StringComparison.OrdinalIgnoreCase))
        {
            throw new PermanentFailureException(ErrorCodes.SchemaViolation, $"endpoint '{Id}' ships with CDEK, but order {orderNumber} names carrier '{carrier}'");
        }
    }
}
