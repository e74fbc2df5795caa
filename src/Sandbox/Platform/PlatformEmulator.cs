using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Idempotency;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Platform;

/// <summary>
/// The e-commerce platform's HTTP API, receiving what the router delivers: orders (validated), catalogue products,
/// and anything else under <c>/platform/</c>. Idempotent by <c>Idempotency-Key</c>, like a well-behaved API.
/// </summary>
public sealed class PlatformEmulator : ISandboxEmulator
{
    public const string EmulatorName = "platform";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly IdempotencyStore idempotency = new();

    public string Name => EmulatorName;

    public string? IdempotencyHeader => IdempotencyKeyHeader;

    public PlatformStore Store { get; } = new();

    public void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        var platform = routes.MapGroup("/" + EmulatorName);

        platform.MapPost("/orders", (HttpContext context) => IdempotentHandler.RespondAsync(context, idempotency, () => CreateOrder(context)));
        platform.MapGet("/orders", () => TypedResults.Json(Store.Orders, SandboxJson.Options));
        platform.MapGet("/orders/{number}", (string number) => Store.FindOrder(number) is { } order
            ? Results.Json(order, SandboxJson.Options)
            : Results.Json(new { error = "not_found", message = $"no order {number}" }, SandboxJson.Options, statusCode: StatusCodes.Status404NotFound));
        platform.MapPost("/catalog/products", (HttpContext context) => IdempotentHandler.RespondAsync(context, idempotency, () => UpsertProducts(context)));
        platform.MapMethods("/{**rest}", [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch], (HttpContext context) =>
            IdempotentHandler.RespondAsync(context, idempotency, () => Accept(context)));
    }

    public void Reset()
    {
        idempotency.Clear();
        Store.Clear();
    }

    private StoredResponse CreateOrder(HttpContext context)
    {
        if (ParseBody(context) is not { } order)
        {
            return MalformedJson();
        }
        if (PlatformValidation.CheckOrder(order) is { } error)
        {
            return StoredResponse.Json(StatusCodes.Status422UnprocessableEntity, error.ToBody());
        }
        var number = order.GetProperty("number").GetString()!;
        var stored = Store.AddOrder(number, order);
        return StoredResponse.Json(
            StatusCodes.Status201Created,
            new { id = stored.Id, number, status = "accepted" },
            new KeyValuePair<string, string>("Location", $"/{EmulatorName}/orders/{Uri.EscapeDataString(number)}"));
    }

    private StoredResponse UpsertProducts(HttpContext context)
    {
        if (ParseBody(context) is not { } body)
        {
            return MalformedJson();
        }
        if (PlatformValidation.CheckProducts(body, out var products) is { } error)
        {
            return StoredResponse.Json(StatusCodes.Status422UnprocessableEntity, error.ToBody());
        }
        foreach (var product in products)
        {
            Store.UpsertProduct(product.GetProperty("id").GetString()!, product);
        }
        return StoredResponse.Json(StatusCodes.Status200OK, new { upserted = products.Count });
    }

    private static StoredResponse Accept(HttpContext context)
    {
        var body = context.SandboxRequest().Body;
        if (body.Length > 0 && ParseBody(context) is null)
        {
            return MalformedJson();
        }
        return StoredResponse.Json(StatusCodes.Status202Accepted, new { accepted = true, path = context.Request.Path.Value });
    }

    private static JsonElement? ParseBody(HttpContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(context.SandboxRequest().Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StoredResponse MalformedJson() =>
        StoredResponse.Json(StatusCodes.Status400BadRequest, new { error = "invalid_json", message = "the request body is not valid JSON" });
}
