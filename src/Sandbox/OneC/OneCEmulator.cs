using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Idempotency;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.OneC;

/// <summary>
/// 1C:Управление торговлей's HTTP side as the router calls it: a publication at <c>/onec/</c> with an HTTP service
/// (<c>hs/&lt;service&gt;/orders</c>, <c>…/customers</c>, JSON, Basic auth with an infobase user) that stores what
/// it is sent, idempotent by order number, and the standard OData interface (<c>odata/standard.odata/</c>) answering
/// from the same objects. Lock conflicts and a locked base come from the fault board, worded by <see cref="OneCFaults"/>.
/// </summary>
public sealed class OneCEmulator : ISandboxEmulator
{
    public const string EmulatorName = "onec";
    public const string DefaultUser = "router";
    public const string DefaultPassword = "sandbox-1c";
    public const string ODataRoot = "/odata/standard.odata";

    private readonly IdempotencyStore idempotency = new();
    private readonly string user;
    private readonly string password;

    public OneCEmulator(string user = DefaultUser, string password = DefaultPassword)
    {
        this.user = user;
        this.password = password;
    }

    public string Name => EmulatorName;

    public string? IdempotencyHeader => "Idempotency-Key";

    public OneCStore Store { get; } = new();

    public void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        var onec = routes.MapGroup("/" + EmulatorName);
        onec.AddEndpointFilter(async (context, next) => Authorized(context.HttpContext) ? await next(context) : Unauthorized());

        onec.MapPost("/hs/{service}/orders", (HttpContext context) =>
            IdempotentHandler.RespondAsync(context, idempotency, () => Store1C(context, state, OneCValidation.CheckOrder, "number", Store.PutOrder)));
        onec.MapPost("/hs/{service}/customers", (HttpContext context) =>
            IdempotentHandler.RespondAsync(context, idempotency, () => Store1C(context, state, OneCValidation.CheckCustomer, "id", Store.PutCustomer)));
        onec.MapGet("/hs/{service}/orders/{number}", (string number) => Store.FindOrder(number) is { } order
            ? Results.Json(order.Data, SandboxJson.Options)
            : Results.Json(new { error = "not_found", message = $"Заказ {number} не найден" }, SandboxJson.Options, statusCode: StatusCodes.Status404NotFound));
        onec.MapGet(ODataRoot + "/$metadata", () => Results.Text(ODataMetadata.Edmx, "application/xml; charset=utf-8"));
        onec.MapGet(ODataRoot + "/{resource}", (HttpContext context, string resource) => OData(context, resource));
    }

    public void Reset()
    {
        idempotency.Clear();
        Store.Clear();
    }

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            return pair == $"{user}:{password}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>What the 1C web server extension answers a failed login with.</summary>
    private static IResult Unauthorized() => new UnauthorizedText();

    private StoredResponse Store1C(HttpContext context, SandboxState state, Func<JsonElement, object?> check, string keyName,
        Func<string, JsonElement, DateTimeOffset, bool> put)
    {
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(context.SandboxRequest().Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return StoredResponse.Json(StatusCodes.Status400BadRequest, new { error = "invalid_json", message = $"Ошибка разбора JSON: {ex.Message}" });
        }
        if (check(body) is { } error)
        {
            return StoredResponse.Json(StatusCodes.Status400BadRequest, error);
        }
        var key = body.GetProperty(keyName).GetString()!.Trim();
        var created = put(key, body, state.Clock.GetUtcNow());
        return StoredResponse.Json(created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            new Dictionary<string, object> { ["Ref_Key"] = OneCStore.RefKeyOf((keyName == "number" ? "order:" : "customer:") + key), [keyName] = key, ["status"] = created ? "created" : "updated" });
    }

    private IResult OData(HttpContext context, string resource)
    {
        var query = context.Request.Query;
        if (query["$format"].ToString() != "json")
        {
            return ODataError(StatusCodes.Status400BadRequest, "the sandbox emulates $format=json only (1C would answer Atom XML)");
        }
        var metadata = $"{context.Request.Scheme}://{context.Request.Host}/{EmulatorName}{ODataRoot}/$metadata#";
        var open = resource.IndexOf('(');
        var entitySet = open < 0 ? resource : resource[..open];
        if (!OneCEntitySets.Names.Contains(entitySet))
        {
            return ODataError(StatusCodes.Status404NotFound, $"Не найден объект {entitySet} в составе стандартного интерфейса OData");
        }
        var rows = OneCEntitySets.Rows(entitySet, Store);
        if (open >= 0)
        {
            var key = resource[(open + 1)..].TrimEnd(')');
            var refKey = key.StartsWith("guid'", StringComparison.Ordinal) && Guid.TryParse(key[5..].TrimEnd('\''), out var parsed) ? parsed : (Guid?)null;
            var row = rows.FirstOrDefault(r => refKey is not null && (Guid)r["Ref_Key"]! == refKey);
            if (row is null)
            {
                return ODataError(StatusCodes.Status404NotFound, $"Объект {resource} не найден");
            }
            var element = new Dictionary<string, object?> { ["odata.metadata"] = metadata + entitySet + "/@Element" };
            foreach (var (name, value) in row)
            {
                element[name] = value;
            }
            return Results.Json(element, SandboxJson.Options);
        }
        if (ODataFilter.Parse(query["$filter"].ToString(), out var problem) is not { } filter)
        {
            return ODataError(StatusCodes.Status400BadRequest, problem!);
        }
        IEnumerable<Dictionary<string, object?>> matching = rows.Where(filter.Matches);
        if (int.TryParse(query["$top"].ToString(), out var top))
        {
            matching = matching.Take(top);
        }
        return Results.Json(new Dictionary<string, object?> { ["odata.metadata"] = metadata + entitySet, ["value"] = matching.ToList() }, SandboxJson.Options);
    }

    private static IResult ODataError(int status, string message) =>
        Results.Json(new Dictionary<string, object>
        {
            ["odata.error"] = new Dictionary<string, object>
            {
                ["code"] = status == StatusCodes.Status404NotFound ? "-1" : "6",
                ["message"] = new Dictionary<string, string> { ["lang"] = "ru", ["value"] = message },
            },
        }, SandboxJson.Options, statusCode: status);

    private sealed class UnauthorizedText : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"1C:Enterprise\"";
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("Ошибка аутентификации: неправильное имя пользователя или пароль");
        }
    }
}
