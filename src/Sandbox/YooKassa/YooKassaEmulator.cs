using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Idempotency;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.YooKassa;

/// <summary>
/// YooKassa API v3 under <c>/yookassa/v3/</c>, as its docs describe it: Basic auth (shopId:secret key), an
/// <c>Idempotence-Key</c> required on every POST and remembered for 24 hours (same key and body: the stored answer
/// again; same key, other body: 400 "Idempotence key duplicated"; 5xx answers are not kept), the payment state
/// machine, capture, cancel, refunds, and HTTP notifications sent to the router. The payer is played through the
/// control API under <c>/_sandbox/yookassa/</c> (or automatically, see <see cref="YooKassaSettings.AutoPayAfterMs"/>).
/// </summary>
public sealed class YooKassaEmulator : ISandboxEmulator
{
    public const string EmulatorName = "yookassa";
    public const string IdempotenceKeyHeader = "Idempotence-Key";
    public const string DefaultShopId = "100500";
    public const string DefaultSecretKey = "test_sandbox_secret_key";
    public const string ApiPrefix = "/" + EmulatorName + "/v3";
    public const string ControlPrefix = "/_sandbox/" + EmulatorName;

    /// <summary>YooKassa keeps idempotence keys this long; afterwards a repeat is a new request.</summary>
    public static readonly TimeSpan IdempotenceRetention = TimeSpan.FromHours(24);

    private const int MaxKeyLength = 64;

    private readonly YooKassaSettings initialSettings;
    private readonly YooKassaWebhookSender webhooks;
    private IdempotencyStore idempotence = new(retention: IdempotenceRetention);
    private volatile YooKassaSettings settings;
    private int acceptedLeft;
    private TimeProvider clock = TimeProvider.System;
    private CancellationToken stopping;

    public YooKassaEmulator(string shopId = DefaultShopId, string secretKey = DefaultSecretKey, YooKassaSettings? settings = null)
    {
        ShopId = shopId;
        SecretKey = secretKey;
        initialSettings = settings ?? new YooKassaSettings();
        this.settings = initialSettings;
        acceptedLeft = initialSettings.AcceptedResponses;
        webhooks = new YooKassaWebhookSender(() => this.settings);
        Store.Changed += webhooks.Enqueue;
    }

    public string ShopId { get; }

    public string SecretKey { get; }

    public string Name => EmulatorName;

    public string? IdempotencyHeader => IdempotenceKeyHeader;

    public YooKassaStore Store { get; } = new();

    public YooKassaSettings Settings => settings;

    public IReadOnlyList<YooKassaWebhookDelivery> Webhooks => webhooks.Deliveries;

    /// <summary>Options for <c>router sandbox</c> from the environment: ROUTER_SANDBOX_YOOKASSA_WEBHOOK (the router's webhook URL) and ROUTER_SANDBOX_YOOKASSA_AUTOPAY_MS.</summary>
    public static YooKassaEmulator FromEnvironment() => new(settings: new YooKassaSettings
    {
        WebhookUrl = Environment.GetEnvironmentVariable("ROUTER_SANDBOX_YOOKASSA_WEBHOOK") is { Length: > 0 } url ? url : null,
        AutoPayAfterMs = int.TryParse(Environment.GetEnvironmentVariable("ROUTER_SANDBOX_YOOKASSA_AUTOPAY_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null,
    });

    public void Configure(YooKassaSettings value)
    {
        settings = value;
        Interlocked.Exchange(ref acceptedLeft, value.AcceptedResponses);
    }

    public void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        clock = state.Clock;
        stopping = state.Stopping;
        idempotence = new IdempotencyStore(clock, IdempotenceRetention);
        Store.UseClock(clock);
        webhooks.Start(clock, state.Stopping);

        var api = routes.MapGroup(ApiPrefix);
        api.MapPost("/payments", (HttpContext context) => PostAsync(context, body => CreatePayment(body, $"{context.Request.Scheme}://{context.Request.Host}/{EmulatorName}/payment-confirm")));
        api.MapGet("/payments/{id}", (HttpContext context, string id) => GetAsync(context, () => Store.FindPayment(id) ?? throw YooKassaProblem.NotFound("Payment", id)));
        api.MapPost("/payments/{id}/capture", (HttpContext context, string id) => PostAsync(context, body => Store.Capture(id, OptionalAmount(body))));
        api.MapPost("/payments/{id}/cancel", (HttpContext context, string id) => PostAsync(context, _ => Store.CancelByMerchant(id)));
        api.MapPost("/refunds", (HttpContext context) => PostAsync(context, CreateRefund));
        api.MapGet("/refunds/{id}", (HttpContext context, string id) => GetAsync(context, () => Store.FindRefund(id) ?? throw YooKassaProblem.NotFound("Refund", id)));
        // The payer's page behind confirmation_url; paying happens through the control API.
        routes.MapGet("/" + EmulatorName + "/payment-confirm", (string? orderId) => Results.Text(
            $"Sandbox YooKassa checkout for payment {orderId}. Pay with POST {ControlPrefix}/payments/{orderId}/pay", "text/plain; charset=utf-8"));

        MapControl(routes.MapGroup(ControlPrefix));
    }

    public void Reset()
    {
        idempotence.Clear();
        Store.Clear();
        webhooks.Reset();
        Configure(initialSettings);
    }

    private void MapControl(RouteGroupBuilder control)
    {
        control.MapGet("/settings", () => TypedResults.Json(settings, SandboxJson.Options));
        control.MapPut("/settings", (YooKassaSettings value) =>
        {
            if (value.Problem() is { } problem)
            {
                return Results.Json(new { error = problem }, SandboxJson.Options, statusCode: StatusCodes.Status400BadRequest);
            }
            Configure(value);
            return Results.Json(settings, SandboxJson.Options);
        });
        control.MapGet("/payments", () => Results.Json(Store.Payments, YooKassaWire.Options));
        control.MapGet("/refunds", () => Results.Json(Store.Refunds, YooKassaWire.Options));
        control.MapGet("/webhooks", () => Results.Json(webhooks.Deliveries, SandboxJson.Options));
        control.MapPost("/payments/{id}/pay", (string id) => Control(() => Store.Pay(id)));
        control.MapPost("/payments/{id}/cancel", async (HttpContext context, string id) =>
        {
            var request = await ReadControlAsync<PayerCancellation>(context) ?? new PayerCancellation();
            return Control(() => Store.Decline(id, request.Party ?? "yoo_kassa", request.Reason ?? "general_decline"));
        });
    }

    private static IResult Control(Func<object> change)
    {
        try
        {
            return Results.Json(change(), YooKassaWire.Options);
        }
        catch (YooKassaProblem problem)
        {
            return Results.Json(ErrorBody(problem), YooKassaWire.Options, statusCode: problem.Status);
        }
    }

    private static async Task<T?> ReadControlAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, SandboxJson.Options, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task GetAsync(HttpContext context, Func<object> read)
    {
        StoredResponse response;
        try
        {
            Authenticate(context.Request);
            response = Ok(read());
        }
        catch (YooKassaProblem problem)
        {
            response = Error(problem);
        }
        await response.WriteAsync(context.Response, context.RequestAborted);
    }

    /// <summary>Auth, then the Idempotence-Key rules, then the handler; its answer is kept for the key unless it is a 5xx.</summary>
    private async Task PostAsync(HttpContext context, Func<JsonElement, object> handle)
    {
        var response = Post(context, handle);
        await response.WriteAsync(context.Response, context.RequestAborted);
    }

    private StoredResponse Post(HttpContext context, Func<JsonElement, object> handle)
    {
        var request = context.SandboxRequest();
        string key;
        try
        {
            Authenticate(context.Request);
            key = context.Request.Headers[IdempotenceKeyHeader].ToString();
            if (key.Length == 0)
            {
                throw YooKassaProblem.Invalid("Idempotence key is required for this request", IdempotenceKeyHeader);
            }
            if (key.Length > MaxKeyLength)
            {
                throw YooKassaProblem.Invalid($"Idempotence key must be at most {MaxKeyLength} characters", IdempotenceKeyHeader);
            }
            if (!IsJson(context.Request.ContentType))
            {
                throw new YooKassaProblem(StatusCodes.Status415UnsupportedMediaType, "invalid_request", "Content-Type must be application/json");
            }
        }
        catch (YooKassaProblem problem)
        {
            return Error(problem);
        }

        // Keys belong to a shop: another shop's identical key is another request.
        var scopedKey = ShopId + "\n" + key;
        var claim = idempotence.Claim(scopedKey, Fingerprint(context.Request, request.Body));
        switch (claim.Kind)
        {
            case IdempotencyClaimKind.Replay:
                request.Repeat = true;
                return claim.Stored!;
            case IdempotencyClaimKind.Mismatch:
                return Error(YooKassaProblem.Invalid("Idempotence key duplicated", IdempotenceKeyHeader));
            case IdempotencyClaimKind.InProgress:
                return Error(new YooKassaProblem(StatusCodes.Status500InternalServerError, "internal_server_error",
                    "The request with this Idempotence-Key is still being processed; repeat it with the same key"));
        }
        if (Interlocked.Decrement(ref acceptedLeft) >= 0)
        {
            // "Accepted, not finished": nothing is kept, the repeat with the same key does the work.
            idempotence.Release(scopedKey);
            return new StoredResponse(StatusCodes.Status202Accepted, JsonSerializer.SerializeToUtf8Bytes(ProcessingBody(), YooKassaWire.Options), "application/json; charset=utf-8", []);
        }
        Interlocked.Exchange(ref acceptedLeft, 0);
        StoredResponse response;
        try
        {
            response = Ok(handle(ParseBody(request.Body)));
        }
        catch (YooKassaProblem problem)
        {
            response = Error(problem);
        }
        catch
        {
            idempotence.Release(scopedKey);
            throw;
        }
        if (response.Status >= 500)
        {
            idempotence.Release(scopedKey);
        }
        else
        {
            idempotence.Complete(scopedKey, response);
        }
        return response;
    }

    private object CreatePayment(JsonElement body, string confirmationPage)
    {
        var amount = Amount(body, "amount") ?? throw YooKassaProblem.Invalid("Amount is required", "amount");
        var capture = body.TryGetProperty("capture", out var c) && c.ValueKind == JsonValueKind.True;
        string? returnUrl = null;
        if (body.TryGetProperty("confirmation", out var confirmation))
        {
            var type = confirmation.ValueKind == JsonValueKind.Object && confirmation.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type is null)
            {
                throw YooKassaProblem.Invalid("Confirmation type is required", "confirmation.type");
            }
            if (type == "redirect")
            {
                returnUrl = confirmation.TryGetProperty("return_url", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                if (returnUrl is null || !Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
                {
                    throw YooKassaProblem.Invalid("Redirect confirmation requires an absolute return_url", "confirmation.return_url");
                }
            }
        }
        var description = OptionalString(body, "description");
        if (description is { Length: > 128 })
        {
            throw YooKassaProblem.Invalid("Description must be at most 128 characters", "description");
        }
        var metadata = Metadata(body);
        if (body.TryGetProperty("receipt", out var receipt))
        {
            CheckReceipt(receipt, amount);
        }
        var payment = Store.Create(amount, capture, description, metadata, returnUrl, confirmationPage);
        ScheduleAutoPay(payment.Id);
        return payment;
    }

    private object CreateRefund(JsonElement body)
    {
        var paymentId = OptionalString(body, "payment_id") ?? throw YooKassaProblem.Invalid("payment_id is required", "payment_id");
        var amount = Amount(body, "amount") ?? throw YooKassaProblem.Invalid("Amount is required", "amount");
        return Store.Refund(paymentId, amount, OptionalString(body, "description"));
    }

    private void ScheduleAutoPay(string paymentId)
    {
        if (settings.AutoPayAfterMs is not { } after)
        {
            return;
        }
        var outcome = settings.AutoPayOutcome;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(after), clock, stopping);
                if (outcome == "canceled")
                {
                    Store.Decline(paymentId, "payment_network", "insufficient_funds");
                }
                else
                {
                    Store.Pay(paymentId);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or YooKassaProblem)
            {
                // Stopped, reset, or the payment moved on by other means.
            }
        }, CancellationToken.None);
    }

    /// <summary>The receipt must name the customer's e-mail or phone, and its lines must add up to the payment.</summary>
    private static void CheckReceipt(JsonElement receipt, YooKassaAmount amount)
    {
        if (receipt.ValueKind != JsonValueKind.Object)
        {
            throw YooKassaProblem.Invalid("Receipt must be an object", "receipt");
        }
        var customer = receipt.TryGetProperty("customer", out var cu) && cu.ValueKind == JsonValueKind.Object ? cu : default;
        if (customer.ValueKind != JsonValueKind.Object || (OptionalString(customer, "email") is null && OptionalString(customer, "phone") is null))
        {
            throw YooKassaProblem.Invalid("Receipt customer requires email or phone", "receipt.customer");
        }
        if (!receipt.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            throw YooKassaProblem.Invalid("Receipt items are required", "receipt.items");
        }
        var total = 0m;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var where = $"receipt.items[{index++}]";
            var price = Amount(item, "amount", where + ".amount") ?? throw YooKassaProblem.Invalid("Item amount is required", where + ".amount");
            var quantity = Number(item, "quantity", where + ".quantity");
            if (quantity is not > 0)
            {
                throw YooKassaProblem.Invalid("Item quantity must be positive", where + ".quantity");
            }
            if (!item.TryGetProperty("vat_code", out var vat) || !vat.TryGetInt32(out var vatCode) || vatCode is < 1 or > 12)
            {
                throw YooKassaProblem.Invalid("Item vat_code is required", where + ".vat_code");
            }
            if (OptionalString(item, "description") is not { Length: > 0 and <= 128 })
            {
                throw YooKassaProblem.Invalid("Item description is required (up to 128 characters)", where + ".description");
            }
            total += decimal.Round(decimal.Parse(price.Value, CultureInfo.InvariantCulture) * quantity.Value, 2);
        }
        if (total != decimal.Parse(amount.Value, CultureInfo.InvariantCulture))
        {
            throw YooKassaProblem.Invalid($"The sum of receipt items ({YooKassaWire.Money(total)}) does not match the payment amount ({amount.Value})", "receipt.items");
        }
    }

    private static decimal? OptionalAmount(JsonElement body) => Amount(body, "amount") is { } amount ? decimal.Parse(amount.Value, CultureInfo.InvariantCulture) : null;

    /// <summary>An amount object; value as "10.00" (the real wire) or 10.00 (SDKs accept numbers), at most two decimals.</summary>
    private static YooKassaAmount? Amount(JsonElement body, string name, string? where = null)
    {
        where ??= name;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var amount))
        {
            return null;
        }
        if (amount.ValueKind != JsonValueKind.Object)
        {
            throw YooKassaProblem.Invalid("Amount must be an object with value and currency", where);
        }
        var value = Number(amount, "value", where + ".value");
        if (value is not > 0 || decimal.Round(value.Value, 2) != value.Value)
        {
            throw YooKassaProblem.Invalid("Amount value must be positive with at most two decimals", where + ".value");
        }
        var currency = OptionalString(amount, "currency");
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
        {
            throw YooKassaProblem.Invalid("Amount currency must be a three-letter ISO-4217 code", where + ".currency");
        }
        return new YooKassaAmount(YooKassaWire.Money(value.Value), currency);
    }

    private static decimal? Number(JsonElement body, string name, string where)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) => number,
            _ => throw YooKassaProblem.Invalid($"{name} must be a number", where),
        };
    }

    private static string? OptionalString(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, string> Metadata(JsonElement body)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!body.TryGetProperty("metadata", out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return metadata;
        }
        if (map.ValueKind != JsonValueKind.Object)
        {
            throw YooKassaProblem.Invalid("Metadata must be an object", "metadata");
        }
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Name.Length > 32 || entry.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                throw YooKassaProblem.Invalid("Metadata keys are up to 32 characters with scalar values", "metadata");
            }
            var text = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            if (text.Length > 512)
            {
                throw YooKassaProblem.Invalid("Metadata values are up to 512 characters", "metadata." + entry.Name);
            }
            metadata[entry.Name] = text;
        }
        if (metadata.Count > 16)
        {
            throw YooKassaProblem.Invalid("Metadata may have at most 16 keys", "metadata");
        }
        return metadata;
    }

    private static JsonElement ParseBody(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw YooKassaProblem.Invalid("Request body must be a JSON object");
        }
        catch (JsonException)
        {
            throw YooKassaProblem.Invalid("Request body is not valid JSON");
        }
    }

    private void Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        string? given = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                given = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
            }
        }
        var expected = ShopId + ":" + SecretKey;
        if (given is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            throw new YooKassaProblem(StatusCodes.Status401Unauthorized, "invalid_credentials",
                "Error in shopId or secret key. Check their validity. You can reissue the key in the Merchant Profile");
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private YooKassaError ProcessingBody() => new YooKassaError
    {
        // [INF] YooKassa's 202 body is not in the current docs; the SDKs read only retry_after (milliseconds) from it.
        Type = "processing",
        Id = Guid.NewGuid().ToString("D"),
        Code = "processing",
        Description = "Request accepted and is being processed; repeat it with the same Idempotence-Key",
        RetryAfter = settings.AcceptedRetryAfterMs,
    };

    private static StoredResponse Ok(object value) =>
        new(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), YooKassaWire.Options), "application/json; charset=utf-8", []);

    private static StoredResponse Error(YooKassaProblem problem) =>
        new(problem.Status, JsonSerializer.SerializeToUtf8Bytes(ErrorBody(problem), YooKassaWire.Options), "application/json; charset=utf-8", []);

    private static YooKassaError ErrorBody(YooKassaProblem problem) => new()
    {
        Id = Guid.NewGuid().ToString("D"),
        Code = problem.Code,
        Description = problem.Message,
        Parameter = problem.Parameter,
    };

    private sealed record PayerCancellation(string? Reason = null, string? Party = null);
}
