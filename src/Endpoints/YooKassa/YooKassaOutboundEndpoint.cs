using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.YooKassa.Wire;
using Serilog;

namespace Router.Endpoints.YooKassa;

/// <summary>
/// The router's commands to YooKassa: <c>payment.requested</c> creates a payment with a redirect confirmation,
/// <c>payment.capture-requested</c> and <c>payment.cancel-requested</c> act on a two-stage payment,
/// <c>refund.requested</c> refunds. The object YooKassa answers with becomes a reply
/// (<c>payment.status-changed</c> / <c>refund.status-changed</c>) for the routes that read from this endpoint.
/// </summary>
public sealed class YooKassaOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "http";
    public const string PaymentsPath = "payments";
    public const string RefundsPath = "refunds";

    private const int MaxDescription = 128;
    private const int MaxMetadataKeys = 16;
    private const int MaxMetadataKey = 32;
    private const int MaxMetadataValue = 512;

    private readonly YooKassaOptions options;
    private readonly YooKassaClient client;
    private readonly IdempotenceKeys keys;
    private readonly ILogger logger;

    public YooKassaOutboundEndpoint(string id, YooKassaOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        client = new YooKassaClient(id, options, services);
        keys = new IdempotenceKeys(id, services.Records, services.Clock);
        logger = services.Logger.ForContext<YooKassaOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public YooKassaClient Client => client;

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var (path, body) = envelope.Type switch
        {
            MessageTypes.PaymentRequested => (PaymentsPath, CreatePayment(Read<PaymentRequest>(envelope))),
            MessageTypes.PaymentCaptureRequested => Capture(Read<PaymentAction>(envelope)),
            MessageTypes.PaymentCancelRequested => Cancel(Read<PaymentAction>(envelope)),
            MessageTypes.RefundRequested => (RefundsPath, CreateRefund(Read<RefundRequest>(envelope))),
            _ => throw new PermanentFailureException("unsupported-type",
                $"endpoint '{Id}' (yookassa) handles {MessageTypes.PaymentRequested}, {MessageTypes.PaymentCaptureRequested}, " +
                $"{MessageTypes.PaymentCancelRequested} and {MessageTypes.RefundRequested}, not '{envelope.Type}'"),
        };
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = HttpMethod.Post.Method,
            Target = client.UrlOf(path).AbsoluteUri,
            DisplayTarget = client.Display(path),
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Authorization"] = options.Authorization,
                // The first generation; DeliverAsync moves to key/2… only after YooKassa refused this one with a 4xx.
                [YooKassaClient.IdempotenceKeyHeader] = IdempotenceKeys.BaseKey(context.IdempotencyKey),
            },
            SecretHeaders = new HashSet<string>(["Authorization"], StringComparer.OrdinalIgnoreCase),
            ContentType = YooKassaClient.ContentType,
            Body = body,
            Encoding = "utf-8",
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind || !plan.Target.StartsWith(options.BaseUrl.AbsoluteUri, StringComparison.Ordinal))
        {
            throw new ArgumentException($"endpoint '{Id}' did not plan a request to {plan.ShownTarget}", nameof(plan));
        }
        var path = plan.Target[options.BaseUrl.AbsoluteUri.Length..];
        var baseKey = plan.Headers.TryGetValue(YooKassaClient.IdempotenceKeyHeader, out var planned) ? planned : IdempotenceKeys.BaseKey(context.IdempotencyKey);
        var generation = await keys.GenerationAsync(baseKey, cancellationToken);
        var key = IdempotenceKeys.KeyOf(baseKey, generation);
        string json;
        try
        {
            json = await client.PostAsync(path, plan.Body, key, cancellationToken);
        }
        catch (YooKassaRefusedException ex)
        {
            await keys.RetireAsync(baseKey, generation, ex.Code, cancellationToken);
            logger.Warning("YooKassa refused {Leg} with Idempotence-Key {Key} ({Code}); a replay will use {NextKey}",
                context.Leg, key, ex.Code, IdempotenceKeys.KeyOf(baseKey, generation + 1));
            throw;
        }
        var origin = $"yookassa {Id} POST /{path}";
        if (path == RefundsPath)
        {
            var refund = ReadAnswer<WireRefund>(json, path);
            // Refunds carry no metadata: the order number lives on the payment.
            var payment = await client.GetPaymentAsync(refund.PaymentId, cancellationToken);
            var orderNumber = payment?.MetadataValue(YooKassaCanonical.OrderNumberKey) ?? "";
            return new DeliveryReceipt($"refund {refund.Id} {refund.Status} (key {key})")
            {
                Replies = [YooKassaCanonical.RefundMessage(refund, orderNumber, origin)],
            };
        }
        var answer = ReadAnswer<WirePayment>(json, path);
        return new DeliveryReceipt($"payment {answer.Id} {answer.Status} (key {key})")
        {
            Replies = [YooKassaCanonical.PaymentMessage(answer, origin)],
        };
    }

    private byte[] CreatePayment(PaymentRequest request)
    {
        RequireOrderNumber(request.OrderNumber);
        RequirePositive(request.Amount, "amount");
        var returnUrl = request.ReturnUrl ?? options.ReturnUrl
            ?? throw new PermanentFailureException("yookassa-request", $"payment for order {request.OrderNumber} has no returnUrl and endpoint '{Id}' has no default '{YooKassaOptionKeys.ReturnUrl}'");
        var metadata = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal) { [YooKassaCanonical.OrderNumberKey] = request.OrderNumber };
        CheckMetadata(metadata, request.OrderNumber);
        return YooKassaJson.Serialize(new WireCreatePayment
        {
            Amount = Wire(request.Amount),
            Capture = request.Capture,
            Confirmation = new WireRedirectConfirmation { ReturnUrl = returnUrl },
            // YooKassa refuses longer descriptions; the order number in metadata is what identifies the payment.
            Description = Shorten(request.Description),
            Metadata = metadata,
            Receipt = Receipt(request),
        });
    }

    private static WireReceipt? Receipt(PaymentRequest request)
    {
        if (request.Items.Count == 0)
        {
            return null;
        }
        if (request.Customer is not { } customer || (string.IsNullOrWhiteSpace(customer.Email) && string.IsNullOrWhiteSpace(customer.Phone)))
        {
            throw new PermanentFailureException("yookassa-request",
                $"payment for order {request.OrderNumber} has receipt items but no customer e-mail or phone to send the receipt to (54-ФЗ)");
        }
        foreach (var item in request.Items)
        {
            if (item.Quantity <= 0 || item.UnitPrice.Amount < 0 || item.VatCode is < 1 or > 12)
            {
                throw new PermanentFailureException("yookassa-request",
                    $"payment for order {request.OrderNumber}: receipt item '{item.Description}' needs a positive quantity, a price of zero or more and vatCode 1–12");
            }
        }
        return new WireReceipt
        {
            Customer = new WireReceiptCustomer { FullName = customer.Name, Email = customer.Email, Phone = customer.Phone, Inn = customer.Inn },
            Items = request.Items.Select(i => new WireReceiptItem
            {
                Description = Shorten(i.Description)!,
                Quantity = i.Quantity,
                Amount = Wire(i.UnitPrice),
                VatCode = i.VatCode,
            }).ToList(),
        };
    }

    private static (string, byte[]) Capture(PaymentAction action)
    {
        RequirePaymentId(action);
        if (action.Amount is { } amount)
        {
            RequirePositive(amount, "capture amount");
        }
        return ($"{PaymentsPath}/{Uri.EscapeDataString(action.PaymentId)}/capture",
            YooKassaJson.Serialize(new WireCapture { Amount = action.Amount is { } partial ? Wire(partial) : null }));
    }

    private static (string, byte[]) Cancel(PaymentAction action)
    {
        RequirePaymentId(action);
        return ($"{PaymentsPath}/{Uri.EscapeDataString(action.PaymentId)}/cancel", "{}"u8.ToArray());
    }

    private static byte[] CreateRefund(RefundRequest request)
    {
        RequireOrderNumber(request.OrderNumber);
        if (string.IsNullOrWhiteSpace(request.PaymentId))
        {
            throw new PermanentFailureException("yookassa-request", $"refund for order {request.OrderNumber} names no paymentId");
        }
        RequirePositive(request.Amount, "refund amount");
        return YooKassaJson.Serialize(new WireCreateRefund
        {
            PaymentId = request.PaymentId,
            Amount = Wire(request.Amount),
            Description = Shorten(request.Reason),
        });
    }

    private static void RequirePaymentId(PaymentAction action)
    {
        RequireOrderNumber(action.OrderNumber);
        if (string.IsNullOrWhiteSpace(action.PaymentId))
        {
            throw new PermanentFailureException("yookassa-request", $"the action for order {action.OrderNumber} names no paymentId");
        }
    }

    private static void RequireOrderNumber(string orderNumber)
    {
        if (string.IsNullOrWhiteSpace(orderNumber))
        {
            throw new PermanentFailureException("yookassa-request", "the command has no orderNumber");
        }
    }

    private static void RequirePositive(Money money, string what)
    {
        if (money.Amount <= 0 || decimal.Round(money.Amount, 2) != money.Amount || money.Currency.Length != 3)
        {
            throw new PermanentFailureException("yookassa-request",
                $"the {what} must be positive with at most two decimals and a three-letter currency, not {money}");
        }
    }

    private static void CheckMetadata(Dictionary<string, string> metadata, string orderNumber)
    {
        if (metadata.Count > MaxMetadataKeys || metadata.Any(m => m.Key.Length > MaxMetadataKey || m.Value.Length > MaxMetadataValue))
        {
            throw new PermanentFailureException("yookassa-request",
                $"payment for order {orderNumber}: metadata may have at most {MaxMetadataKeys} keys of up to {MaxMetadataKey} characters with values up to {MaxMetadataValue}");
        }
    }

    private static WireAmount Wire(Money money) => new() { Value = money.Amount, Currency = money.Currency };

    private static string? Shorten(string? text) => text is null || text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";

    private static T Read<T>(Envelope envelope)
    {
        try
        {
            return envelope.Payload.Deserialize<T>(RouterJson.Options) ?? throw new JsonException("the payload is null");
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"the payload of {envelope.Type} is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static T ReadAnswer<T>(string json, string path)
    {
        try
        {
            return YooKassaJson.Deserialize<T>(json);
        }
        catch (JsonException ex)
        {
            // YooKassa acted (200) but its answer is unreadable: the same key returns the same answer, so this is not worth retrying.
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"YooKassa's answer to POST /{path} is not a {typeof(T).Name[4..].ToLowerInvariant()} object: {ex.Message}", ex);
        }
    }
}
