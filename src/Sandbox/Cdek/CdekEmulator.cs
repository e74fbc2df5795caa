using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Control;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Cdek;

/// <summary>
/// CDEK API v2 as documented (api-docs.cdek.ru): OAuth client_credentials with expiring tokens and 401 without one;
/// mutations answered 202 with the <c>entity</c>/<c>requests</c> envelope and validated in the background
/// (ACCEPTED, then SUCCESSFUL with a cdek_number, or INVALID with CDEK's error codes); look-ups by im_number and
/// cdek_number; DELETE only while CREATED, refusal after; ORDER_STATUS webhooks sent once, never retried;
/// timestamps in +0700 without a colon. Like CDEK, it does not refuse a second order with the same number: only
/// the client's look-up keeps a retried create from registering the order twice.
/// </summary>
public sealed class CdekEmulator : ISandboxEmulator
{
    public const string EmulatorName = "cdek";
    public const string DefaultClientId = "sandbox-cdek-account";
    public const string DefaultClientSecret = "sandbox-cdek-secure-password";
    private const string Json = "application/json; charset=utf-8";

    /// <summary>CDEK's servers answer in Novosibirsk time.</summary>
    private static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    private static readonly HttpClient WebhookClient = new() { Timeout = TimeSpan.FromSeconds(15) };

    private readonly ConcurrentDictionary<string, DateTimeOffset> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CdekWebhookDelivery> webhooks = new();
    private SandboxState? state;
    private volatile CdekSandboxSettings settings = new();
    private int generation;
    private Timer? autoProgress;

    public string Name => EmulatorName;

    public string? IdempotencyHeader => null;

    public CdekStore Store { get; } = new();

    public CdekSandboxSettings Settings
    {
        get => settings;
        set
        {
            settings = value;
            RestartAutoProgress();
        }
    }

    public IReadOnlyList<CdekWebhookDelivery> WebhooksSent => webhooks.ToList();

    public void Map(IEndpointRouteBuilder routes, SandboxState sandbox)
    {
        state = sandbox;
        var api = routes.MapGroup("/" + EmulatorName + "/v2");
        api.MapPost("/oauth/token", IssueToken);
        api.MapPost("/orders", (HttpContext context) => Authorized(context, () => LoseAnswerIfAsked(context, CreateOrder(context))));
        api.MapGet("/orders", (HttpContext context) => Authorized(context, () => FindOrder(context)));
        api.MapGet("/orders/{uuid}", (HttpContext context, string uuid) => Authorized(context, () => GetOrder(uuid)));
        api.MapDelete("/orders/{uuid}", (HttpContext context, string uuid) => Authorized(context, () => DeleteOrder(uuid)));
        api.MapPost("/orders/{uuid}/refusal", (HttpContext context, string uuid) => Authorized(context, () => RefuseOrder(uuid)));
        api.MapPost("/calculator/tariff", (HttpContext context) => Authorized(context, () => CalculateTariff(context)));
        api.MapPost("/webhooks", (HttpContext context) => Authorized(context, () => Subscribe(context)));
        api.MapGet("/webhooks", (HttpContext context) => Authorized(context, () => Answer(200, new JsonArray(
            settings.WebhookUrl is { } url ? new JsonObject { ["uuid"] = WebhookUuid, ["type"] = "ORDER_STATUS", ["url"] = url } : null))));

        var control = routes.MapGroup(ControlApi.Prefix + "/" + EmulatorName);
        control.MapGet("/settings", () => Results.Json(settings, SandboxJson.Options));
        control.MapPut("/settings", (CdekSandboxSettings changed) =>
        {
            Interlocked.Exchange(ref lostAnswers, 0);
            Settings = changed;
            return Results.Json(settings, SandboxJson.Options);
        });
        control.MapGet("/orders", () => Results.Json(Store.Orders.Select(Summary).ToList(), SandboxJson.Options));
        control.MapPost("/orders/{uuid}/status", (string uuid, CdekStatusChange change) =>
            SetStatus(uuid, change.Code, change.City, change.Webhook) ? Results.Json(Summary(Store.Find(uuid)!), SandboxJson.Options) : Results.NotFound());
        control.MapPost("/orders/{uuid}/advance", (string uuid) =>
            Advance(uuid) ? Results.Json(Summary(Store.Find(uuid)!), SandboxJson.Options) : Results.NotFound());
        control.MapPost("/tokens/revoke", () =>
        {
            tokens.Clear();
            return Results.NoContent();
        });
        control.MapGet("/webhooks", () => Results.Json(WebhooksSent, SandboxJson.Options));
    }

    public void Reset()
    {
        Interlocked.Increment(ref generation);
        tokens.Clear();
        webhooks.Clear();
        Store.Clear();
        lostAnswers = 0;
        Settings = new CdekSandboxSettings();
    }

    private const string WebhookUuid = "4d3a6f1e-0000-4000-8000-00000000c0de";

    private DateTimeOffset Now => (state?.Clock ?? TimeProvider.System).GetUtcNow().ToOffset(Offset);

    private static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0700";

    // ------------------------------------------------------------------ auth

    private IResult IssueToken(HttpContext context)
    {
        var form = ParseForm(context);
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return Answer(400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "Unsupported grant type" });
        }
        if (form.GetValueOrDefault("client_id") != DefaultClientId || form.GetValueOrDefault("client_secret") != DefaultClientSecret)
        {
            return Answer(401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Bad client credentials" });
        }
        var lifetime = settings.TokenLifetimeSeconds;
        var token = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        tokens[token] = Now.AddSeconds(lifetime);
        return Answer(200, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = lifetime,
            ["scope"] = "order:all payment:all",
            ["jti"] = Guid.NewGuid().ToString(),
        });
    }

    private IResult Authorized(HttpContext context, Func<IResult> handle)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthFailure("v2_token_missing", "Authorization header with a bearer token is required");
        }
        var token = header["Bearer ".Length..].Trim();
        if (!tokens.TryGetValue(token, out var expires))
        {
            return AuthFailure("v2_token_invalid", "Invalid access token");
        }
        if (Now >= expires)
        {
            tokens.TryRemove(token, out _);
            return AuthFailure("v2_token_expired", "Access token expired");
        }
        return handle();
    }

    private static IResult AuthFailure(string code, string message) =>
        Answer(401, new JsonObject { ["requests"] = new JsonArray(Request("AUTH", "INVALID", DateTimeOffset.UtcNow.ToOffset(Offset), (code, message))) });

    // ------------------------------------------------------------------ orders

    private IResult CreateOrder(HttpContext context)
    {
        if (ParseObject(context) is not { } body)
        {
            return Answer(400, new JsonObject { ["requests"] = new JsonArray(Request("CREATE", "INVALID", Now, ("v2_bad_request", "the request body is not a JSON object"))) });
        }
        var order = new CdekOrder { Uuid = Guid.NewGuid().ToString(), Body = body };
        var request = new CdekOrderRequest { RequestUuid = Guid.NewGuid().ToString(), Type = "CREATE", DateTime = Now };
        order.Requests.Add(request);
        Store.Add(order);
        var seen = generation;
        _ = Task.Run(async () =>
        {
            await DelayAsync(settings.ProcessingDelayMs);
            if (seen != generation)
            {
                return;
            }
            var created = Store.Update(() => Validate(order, request));
            if (created)
            {
                await NotifyAsync(order, CdekSandboxStatuses.Created);
            }
        });
        return Answer(202, Envelope(order, request));
    }

    private int lostAnswers;

    private IResult LoseAnswerIfAsked(HttpContext context, IResult answer)
    {
        if (answer is IStatusCodeHttpResult { StatusCode: 202 } && Interlocked.Increment(ref lostAnswers) <= settings.LoseCreateAnswers)
        {
            context.Abort();
            return Results.Empty;
        }
        return answer;
    }

    /// <summary>The background half of a create: CDEK's full validation.</summary>
    private bool Validate(CdekOrder order, CdekOrderRequest request)
    {
        foreach (var error in CdekValidation.Check(order.Body))
        {
            request.Errors.Add(error);
        }
        if (request.Errors.Count > 0)
        {
            request.State = "INVALID";
            return false;
        }
        request.State = "SUCCESSFUL";
        order.CdekNumber = Store.NextCdekNumber();
        order.Statuses.Add(new CdekOrderStatus(CdekSandboxStatuses.Created, CdekSandboxStatuses.NameOf(CdekSandboxStatuses.Created), Now, null));
        return true;
    }

    private IResult FindOrder(HttpContext context)
    {
        var query = context.Request.Query;
        CdekOrder? order = null;
        if (query.TryGetValue("im_number", out var number) && number.ToString().Length > 0)
        {
            order = Store.FindByNumber(number.ToString());
        }
        else if (query.TryGetValue("cdek_number", out var cdekNumber) && cdekNumber.ToString().Length > 0)
        {
            order = Store.FindByCdekNumber(cdekNumber.ToString());
        }
        else
        {
            return Answer(400, new JsonObject { ["requests"] = new JsonArray(Request("GET", "INVALID", Now, ("v2_parameters_empty", "cdek_number or im_number is required"))) });
        }
        return order is null ? NotFound() : Answer(200, Store.Update(() => Envelope(order, order.Requests.ToArray())));
    }

    private IResult GetOrder(string uuid) =>
        Store.Find(uuid) is { } order ? Answer(200, Store.Update(() => Envelope(order, order.Requests.ToArray()))) : NotFound();

    private IResult DeleteOrder(string uuid)
    {
        if (Store.Find(uuid) is not { } order)
        {
            return NotFound();
        }
        var request = new CdekOrderRequest { RequestUuid = Guid.NewGuid().ToString(), Type = "DELETE", DateTime = Now };
        var deleted = Store.Update(() =>
        {
            order.Requests.Add(request);
            if (order.CurrentCode != CdekSandboxStatuses.Created)
            {
                // Only an order nothing has happened to may be deleted.
                request.State = "INVALID";
                request.Errors.Add(("v2_entity_forbidden", $"Order with status {order.CurrentCode ?? "ACCEPTED"} cannot be deleted"));
                return false;
            }
            request.State = "SUCCESSFUL";
            order.Statuses.Add(new CdekOrderStatus(CdekSandboxStatuses.Removed, CdekSandboxStatuses.NameOf(CdekSandboxStatuses.Removed), Now, null));
            return true;
        });
        if (deleted)
        {
            _ = Task.Run(() => NotifyAsync(order, CdekSandboxStatuses.Removed));
        }
        return Answer(202, Store.Update(() => Envelope(order, request)));
    }

    private IResult RefuseOrder(string uuid)
    {
        if (Store.Find(uuid) is not { } order)
        {
            return NotFound();
        }
        var request = new CdekOrderRequest { RequestUuid = Guid.NewGuid().ToString(), Type = "UPDATE", DateTime = Now };
        Store.Update(() =>
        {
            order.Requests.Add(request);
            if (order.CurrentCode is null or CdekSandboxStatuses.Removed or CdekSandboxStatuses.Delivered or CdekSandboxStatuses.NotDelivered)
            {
                request.State = "INVALID";
                request.Errors.Add(("v2_entity_forbidden", $"Order with status {order.CurrentCode ?? "ACCEPTED"} cannot be refused"));
                return false;
            }
            request.State = "SUCCESSFUL";
            order.Refused = true;
            return true;
        });
        return Answer(202, Store.Update(() => Envelope(order, request)));
    }

    private IResult CalculateTariff(HttpContext context)
    {
        if (ParseObject(context) is not { } body)
        {
            return Answer(400, new JsonObject { ["errors"] = new JsonArray(Error("v2_bad_request", "the request body is not a JSON object")) });
        }
        var errors = new JsonArray();
        if (body["tariff_code"] is null)
        {
            errors.Add(Error("v2_field_is_empty", "tariff_code is empty"));
        }
        if (body["from_location"] is null || body["to_location"] is null)
        {
            errors.Add(Error("v2_field_is_empty", "from_location and to_location are required"));
        }
        if (body["packages"] is not JsonArray { Count: > 0 } packages)
        {
            errors.Add(Error("v2_field_is_empty", "packages are required"));
            packages = [];
        }
        if (errors.Count > 0)
        {
            return Answer(400, new JsonObject { ["errors"] = errors });
        }
        var grams = packages.Sum(p => p?["weight"]?.GetValue<int>() ?? 0);
        var kilos = (int)Math.Ceiling(Math.Max(grams, 1) / 1000.0);
        var deliverySum = 250m + 45m * kilos;
        return Answer(200, new JsonObject
        {
            ["delivery_sum"] = deliverySum,
            ["period_min"] = 2,
            ["period_max"] = 4,
            ["calendar_min"] = 2,
            ["calendar_max"] = 5,
            ["weight_calc"] = kilos * 1000,
            ["services"] = new JsonArray(),
            ["total_sum"] = deliverySum,
            ["currency"] = "RUB",
        });
    }

    private IResult Subscribe(HttpContext context)
    {
        if (ParseObject(context) is not { } body || body["url"]?.ToString() is not { Length: > 0 } url)
        {
            return Answer(400, new JsonObject { ["requests"] = new JsonArray(Request("CREATE", "INVALID", Now, ("v2_field_is_empty", "url is required"))) });
        }
        if (body["type"]?.ToString() != "ORDER_STATUS")
        {
            return Answer(400, new JsonObject { ["requests"] = new JsonArray(Request("CREATE", "INVALID", Now, ("v2_webhook_type_incorrect", "the sandbox sends ORDER_STATUS only"))) });
        }
        Settings = settings with { WebhookUrl = url };
        var request = new CdekOrderRequest { RequestUuid = Guid.NewGuid().ToString(), Type = "CREATE", State = "SUCCESSFUL", DateTime = Now };
        return Answer(200, new JsonObject { ["entity"] = new JsonObject { ["uuid"] = WebhookUuid }, ["requests"] = new JsonArray(Render(request)) });
    }

    // ------------------------------------------------------------------ status progression

    /// <summary>Sets an order's status as CDEK's operations would; optionally without the webhook, which CDEK may lose.</summary>
    public bool SetStatus(string uuid, string code, string? city = null, bool webhook = true)
    {
        if (Store.Find(uuid) is not { } order)
        {
            return false;
        }
        Store.Update(() =>
        {
            order.Statuses.Add(new CdekOrderStatus(code, CdekSandboxStatuses.NameOf(code), Now, city));
            return true;
        });
        if (webhook)
        {
            _ = Task.Run(() => NotifyAsync(order, code));
        }
        return true;
    }

    /// <summary>Moves a registered order one step along its timeline (to a pickup point or to the door).</summary>
    public bool Advance(string uuid)
    {
        if (Store.Find(uuid) is not { } order)
        {
            return false;
        }
        var next = Store.Update(() =>
        {
            if (order.CurrentCode is null || order.Refused || CdekSandboxStatuses.IsFinal(order.CurrentCode))
            {
                return null;
            }
            var timeline = CdekSandboxStatuses.TimelineFor(order.Body);
            var index = Array.IndexOf(timeline, order.CurrentCode);
            return index + 1 < timeline.Length ? timeline[index + 1] : null;
        });
        return next is not null && SetStatus(uuid, next, "Москва");
    }

    private void RestartAutoProgress()
    {
        var every = settings.AutoProgressMs;
        var previous = Interlocked.Exchange(ref autoProgress, null);
        previous?.Dispose();
        if (every is > 0)
        {
            var period = TimeSpan.FromMilliseconds(every.Value);
            autoProgress = new Timer(_ =>
            {
                foreach (var order in Store.Orders)
                {
                    Advance(order.Uuid);
                }
            }, null, period, period);
        }
    }

    /// <summary>One attempt, no retry: CDEK's documented behaviour, and the reason the router also polls.</summary>
    private async Task NotifyAsync(CdekOrder order, string code)
    {
        if (settings.WebhookUrl is not { } url)
        {
            return;
        }
        var (cdekNumber, number, status) = Store.Update(() => (order.CdekNumber, order.Number, order.Statuses.LastOrDefault(s => s.Code == code)));
        var payload = new JsonObject
        {
            ["type"] = "ORDER_STATUS",
            ["date_time"] = Format(Now),
            ["uuid"] = order.Uuid,
            ["attributes"] = new JsonObject
            {
                ["is_return"] = false,
                ["cdek_number"] = cdekNumber,
                ["number"] = number,
                ["code"] = code,
                ["status_code"] = CdekSandboxStatuses.LegacyNumberOf(code),
                ["status_date_time"] = Format(status?.DateTime ?? Now),
                ["city_name"] = status?.City ?? "Новосибирск",
                ["city_code"] = "270",
                ["is_reverse"] = false,
                ["is_client_return"] = false,
                ["deleted"] = code == CdekSandboxStatuses.Removed,
            },
        };
        int? answered = null;
        string? error = null;
        try
        {
            using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await WebhookClient.PostAsync(url, content, state?.Stopping ?? CancellationToken.None);
            answered = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            error = ex.Message;
        }
        webhooks.Enqueue(new CdekWebhookDelivery(url, order.Uuid, code, answered, error, Now));
    }

    // ------------------------------------------------------------------ rendering

    private JsonObject Envelope(CdekOrder order, params CdekOrderRequest[] requests)
    {
        var entity = order.Body.DeepClone().AsObject();
        entity["uuid"] = order.Uuid;
        entity["is_return"] = false;
        entity["is_reverse"] = false;
        if (order.CdekNumber is { } cdekNumber)
        {
            entity["cdek_number"] = long.Parse(cdekNumber, CultureInfo.InvariantCulture);
        }
        var statuses = new JsonArray();
        // CDEK lists the history newest first.
        foreach (var status in Enumerable.Reverse(order.Statuses))
        {
            statuses.Add(new JsonObject
            {
                ["code"] = status.Code,
                ["name"] = status.Name,
                ["date_time"] = Format(status.DateTime),
                ["city"] = status.City ?? "Новосибирск",
            });
        }
        entity["statuses"] = statuses;
        return new JsonObject
        {
            ["entity"] = entity,
            ["requests"] = new JsonArray(requests.Select(r => (JsonNode?)Render(r)).ToArray()),
            ["related_entities"] = new JsonArray(),
        };
    }

    private static JsonObject Render(CdekOrderRequest request) =>
        Request(request.Type, request.State, request.DateTime, [.. request.Errors], request.RequestUuid);

    private static JsonObject Request(string type, string stateName, DateTimeOffset at, params (string Code, string Message)[] errors) =>
        Request(type, stateName, at, errors, Guid.NewGuid().ToString());

    private static JsonObject Request(string type, string stateName, DateTimeOffset at, (string Code, string Message)[] errors, string requestUuid) => new()
    {
        ["request_uuid"] = requestUuid,
        ["type"] = type,
        ["state"] = stateName,
        ["date_time"] = Format(at.ToOffset(Offset)),
        ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)Error(e.Code, e.Message)).ToArray()),
        ["warnings"] = new JsonArray(),
    };

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };

    private IResult NotFound() =>
        Answer(404, new JsonObject { ["requests"] = new JsonArray(Request("GET", "INVALID", Now, ("v2_entity_not_found", "Entity is not found"))) });

    private static IResult Answer(int status, JsonNode body) => Results.Content(body.ToJsonString(), Json, Encoding.UTF8, status);

    private static object Summary(CdekOrder order) => new
    {
        order.Uuid,
        order.Number,
        order.CdekNumber,
        State = order.Requests.FirstOrDefault(r => r.Type == "CREATE")?.State,
        Status = order.CurrentCode,
        order.Refused,
    };

    private Task DelayAsync(int milliseconds) =>
        milliseconds <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), state?.Clock ?? TimeProvider.System, state?.Stopping ?? CancellationToken.None);

    private static JsonObject? ParseObject(HttpContext context)
    {
        try
        {
            return JsonNode.Parse(context.SandboxRequest().Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ParseForm(HttpContext context)
    {
        var text = Encoding.UTF8.GetString(context.SandboxRequest().Body);
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            form[key] = value;
        }
        // The SDKs also send the grant in the query ("?parameters" in the docs).
        foreach (var (key, value) in context.Request.Query)
        {
            form.TryAdd(key, value.ToString());
        }
        return form;
    }
}
