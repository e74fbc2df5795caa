using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Carriers;
using Router.Transformers.Boxberry;
using Router.Transformers.Carriers;
using Serilog;

namespace Router.Endpoints.Boxberry;

/// <summary>
/// Creates and cancels Boxberry parcels. Boxberry has no idempotency key; an order_id is unique in the shop's
/// cabinet, so a retried create first asks ListStatuses for the order_id, and Boxberry's "значение … уже занято"
/// is taken as the earlier attempt having succeeded once that look-up confirms the parcel.
/// </summary>
public sealed class BoxberryOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "boxberry";

    private readonly BoxberryOptions options;
    private readonly EndpointServices services;
    private readonly BoxberryTracker tracker;
    private readonly ILogger logger;

    public BoxberryOutboundEndpoint(string id, BoxberryOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        Client = new BoxberryClient(services.Http.Get(id), options, services.Clock);
        tracker = new BoxberryTracker(id, services, options.StatusInterval);
        logger = services.Logger.ForContext<BoxberryOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public BoxberryClient Client { get; }

    /// <summary>
    /// The form as it goes out, with the token shown as <c>***</c>: json.php takes the token in the body, which a
    /// plan cannot mask, so the real token is put in only when the plan is carried out.
    /// </summary>
    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        switch (envelope.Type)
        {
            case MessageTypes.ShipmentRequested:
            {
                var request = Read<ShipmentRequest>(envelope);
                CheckCarrier(request.Carrier, request.OrderNumber);
                JsonObject sdata;
                try
                {
                    sdata = BoxberryParcelMapping.ToSdata(request, options.Shipment);
                }
                catch (ShipmentMappingException ex)
                {
                    throw new PermanentFailureException(ErrorCodes.SchemaViolation, $"endpoint '{Id}': {ex.Message}", ex);
                }
                return FormPlan("ParselCreate", [new("sdata", sdata.ToJsonString(BoxberryJson.Options))], HttpMethod.Post.Method);
            }
            case MessageTypes.ShipmentCancelRequested:
            {
                var cancellation = Read<ShipmentCancellation>(envelope);
                CheckCarrier(cancellation.Carrier, cancellation.OrderNumber);
                return FormPlan("CancelOrder", [new("orderid", cancellation.OrderNumber), new("track", cancellation.CarrierOrderId ?? ""), new("reason", cancellation.Reason ?? "")],
                    HttpMethod.Get.Method);
            }
            default:
                throw new PermanentFailureException(ErrorCodes.UnknownMessageType,
                    $"endpoint '{Id}' (boxberry) sends {MessageTypes.ShipmentRequested} and {MessageTypes.ShipmentCancelRequested}, not '{envelope.Type}'");
        }
    }

    private DeliveryPlan FormPlan(string method, IReadOnlyList<KeyValuePair<string, string>> fields, string httpMethod)
    {
        var form = string.Join('&', new[] { new KeyValuePair<string, string>("token", "***"), new("method", method) }.Concat(fields)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = httpMethod,
            Target = options.Url.AbsoluteUri,
            ContentType = "application/x-www-form-urlencoded",
            Body = Encoding.UTF8.GetBytes(form),
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        var fields = ParseForm(Encoding.UTF8.GetString(plan.Body));
        return fields.GetValueOrDefault("method") switch
        {
            "ParselCreate" => await CreateAsync(fields["sdata"], context, cancellationToken),
            "CancelOrder" => await CancelAsync(fields["orderid"], NullIfEmpty(fields.GetValueOrDefault("track")), NullIfEmpty(fields.GetValueOrDefault("reason")), cancellationToken),
            _ => throw new ArgumentException($"endpoint '{Id}' did not plan {plan.Method} {plan.ShownTarget}", nameof(plan)),
        };
    }

    private async Task<DeliveryReceipt> CreateAsync(string sdata, DeliveryContext context, CancellationToken cancellationToken)
    {
        var orderId = JsonNode.Parse(sdata)?["order_id"]?.GetValue<string>() ?? throw new ArgumentException("the planned parcel has no order_id");
        var existing = await tracker.GetAsync(orderId, cancellationToken);
        var known = BoxberryParcelRecord.From(existing);
        if (known.Track is not null)
        {
            return await CreatedAsync(orderId, known.Track, cancellationToken);
        }
        if (existing is not null || context.Attempt > 1)
        {
            // An earlier attempt may have created the parcel and lost the answer.
            if (await Client.ListStatusesAsync(orderId, cancellationToken) is { Count: > 0 })
            {
                logger.Information("Boxberry parcel {OrderId} already exists; not creating it again", orderId);
                return await CreatedAsync(orderId, null, cancellationToken);
            }
        }
        await tracker.ClaimAsync(orderId, cancellationToken);
        BoxberryCreated created;
        try
        {
            created = await Client.ParselCreateAsync(sdata, cancellationToken);
        }
        catch (BoxberryRefusal refusal) when (refusal.Error.IsAlreadyTaken)
        {
            if (await Client.ListStatusesAsync(orderId, cancellationToken) is not { Count: > 0 })
            {
                throw refusal.Classified;
            }
            logger.Information("Boxberry says order_id {OrderId} is taken and knows the parcel; taking it as created", orderId);
            return await CreatedAsync(orderId, null, cancellationToken);
        }
        catch (BoxberryRefusal refusal)
        {
            throw refusal.Classified;
        }
        logger.Information("Boxberry created parcel {OrderId} as {Track}", orderId, created.Track);
        return await CreatedAsync(orderId, created.Track, cancellationToken);
    }

    private async Task<DeliveryReceipt> CreatedAsync(string orderId, string? track, CancellationToken cancellationToken)
    {
        var statuses = await Client.ListStatusesAsync(track ?? orderId, cancellationToken) ?? [];
        var history = BoxberryTracker.Unseen(statuses, new BoxberryParcelRecord());
        if (history.Count == 0)
        {
            history = [new BoxberryStatus { Name = BoxberryStatuses.Created }];
        }
        var last = history[^1];
        await tracker.SaveAsync(orderId, new BoxberryParcelRecord { Track = track, LastStatus = last.Name, LastDate = last.Date }, cancellationToken);
        var replies = history.Select(s => BoxberryTracker.Message(orderId, track, s, $"boxberry parcel {orderId}")).ToList();
        return new DeliveryReceipt($"Boxberry parcel {orderId}, track {track ?? "(known to Boxberry)"}, status {last.Name}") { Replies = replies };
    }

    private async Task<DeliveryReceipt> CancelAsync(string orderId, string? track, string? reason, CancellationToken cancellationToken)
    {
        var known = BoxberryParcelRecord.From(await tracker.GetAsync(orderId, cancellationToken));
        track ??= known.Track;
        var statuses = await Client.ListStatusesAsync(track ?? orderId, cancellationToken)
            ?? throw new PermanentFailureException(BoxberryClient.ErrorCode, $"Boxberry has no parcel {track ?? orderId} to cancel");
        var current = BoxberryTracker.Unseen(statuses, new BoxberryParcelRecord()).LastOrDefault();
        string code;
        if (BoxberryStatuses.StateOf(current?.Name) == ShipmentState.Cancelled)
        {
            code = current!.Name!.Trim(); // a redelivery after the cancel went through
        }
        else if (BoxberryStatuses.IsFinal(current?.Name))
        {
            throw new PermanentFailureException(BoxberryClient.ErrorCode, $"Boxberry parcel {orderId} is already '{current?.Name}'; it cannot be cancelled");
        }
        else
        {
            var cancelType = BoxberryStatuses.MayDelete(current?.Name) ? 1 : 2;
            await Client.CancelOrderAsync(track is null ? orderId : null, track, cancelType, cancellationToken);
            code = cancelType == 1 ? "CancelOrder:delete" : "CancelOrder:recall";
        }
        var status = new ShipmentStatus
        {
            OrderNumber = orderId,
            Carrier = BoxberryTracker.Carrier,
            State = ShipmentState.Cancelled,
            CarrierCode = code,
            CarrierName = reason,
            TrackingNumber = track,
            ChangedAt = services.Clock.GetUtcNow(),
        };
        await tracker.SaveAsync(orderId, known with { Track = track, LastStatus = "Отменен" }, cancellationToken);
        return new DeliveryReceipt($"Boxberry parcel {orderId} cancelled ({code})") { Replies = [ShipmentStatusMessages.Create(orderId, status, $"boxberry parcel {orderId}")] };
    }

    private static Dictionary<string, string> ParseForm(string form) =>
        form.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", StringComparer.Ordinal);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

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
        if (!string.Equals(carrier, BoxberryTracker.Carrier, StringComparison.OrdinalIgnoreCase))
        {
            throw new PermanentFailureException(ErrorCodes.SchemaViolation, $"endpoint '{Id}' ships with Boxberry, but order {orderNumber} names carrier '{carrier}'");
        }
    }
}
