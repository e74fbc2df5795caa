using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox;

namespace Router.Endpoints.Tests.Support;

/// <summary>A careless partner that quotes the request's headers back in its 400 answer.</summary>
internal sealed class EchoEmulator : ISandboxEmulator
{
    public string Name => "echo";

    public string? IdempotencyHeader => null;

    public void Map(IEndpointRouteBuilder routes, SandboxState state) =>
        routes.MapPost("/echo", (HttpContext context) => Results.Json(
            new { error = "bad request", headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()) },
            statusCode: StatusCodes.Status400BadRequest));

    public void Reset()
    {
    }
}
