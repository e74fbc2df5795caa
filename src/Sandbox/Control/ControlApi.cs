using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Control;

public sealed record LatencySetting(int Milliseconds);

public sealed record DownSetting(bool Down);

public sealed record EmulatorList(IReadOnlyList<string> Emulators);

/// <summary>
/// The sandbox's own API under <c>/_sandbox</c>: inject faults, read the request log, reset. Its requests are not logged.
/// </summary>
public static class ControlApi
{
    public const string Prefix = "/_sandbox";

    public static void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        var control = routes.MapGroup(Prefix);

        control.MapGet("/", () => TypedResults.Json(new EmulatorList(state.Emulators.Select(e => e.Name).ToList()), SandboxJson.Options));

        control.MapPost("/reset", () =>
        {
            state.Reset();
            return TypedResults.NoContent();
        });

        control.MapGet("/requests", (HttpRequest request) =>
        {
            var query = ReadQuery(request.Query, out var problem);
            return query is null
                ? Problem(StatusCodes.Status400BadRequest, problem!)
                : TypedResults.Json(state.Requests.Query(query), SandboxJson.Options);
        });

        control.MapDelete("/requests", () =>
        {
            state.Requests.Clear();
            return TypedResults.NoContent();
        });

        control.MapGet("/{emulator}/faults", (string emulator) =>
            state.Find(emulator) is null ? UnknownEmulator(emulator) : TypedResults.Json(state.Faults.Describe(emulator), SandboxJson.Options));

        control.MapPost("/{emulator}/faults", (string emulator, FaultSpec fault) =>
        {
            if (state.Find(emulator) is null)
            {
                return UnknownEmulator(emulator);
            }
            if (fault.Problem() is { } problem)
            {
                return Problem(StatusCodes.Status400BadRequest, problem);
            }
            state.Faults.Add(emulator, fault);
            return TypedResults.Json(state.Faults.Describe(emulator), SandboxJson.Options);
        });

        control.MapDelete("/{emulator}/faults", (string emulator) =>
        {
            if (state.Find(emulator) is null)
            {
                return UnknownEmulator(emulator);
            }
            state.Faults.Clear(emulator);
            return TypedResults.Json(state.Faults.Describe(emulator), SandboxJson.Options);
        });

        control.MapPut("/{emulator}/latency", (string emulator, LatencySetting latency) =>
        {
            if (state.Find(emulator) is null)
            {
                return UnknownEmulator(emulator);
            }
            if (latency.Milliseconds < 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "milliseconds must not be negative");
            }
            state.Faults.SetLatency(emulator, TimeSpan.FromMilliseconds(latency.Milliseconds));
            return TypedResults.Json(state.Faults.Describe(emulator), SandboxJson.Options);
        });

        control.MapPut("/{emulator}/down", (string emulator, DownSetting setting) =>
        {
            if (state.Find(emulator) is null)
            {
                return UnknownEmulator(emulator);
            }
            state.Faults.SetDown(emulator, setting.Down);
            return TypedResults.Json(state.Faults.Describe(emulator), SandboxJson.Options);
        });
    }

    private static IResult UnknownEmulator(string emulator) =>
        Problem(StatusCodes.Status404NotFound, $"there is no emulator called '{emulator}'");

    private static IResult Problem(int status, string message) =>
        TypedResults.Json(new { error = message }, SandboxJson.Options, statusCode: status);

    private static RequestLogQuery? ReadQuery(IQueryCollection query, out string? problem)
    {
        problem = null;
        string? Text(string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

        int? status = null;
        if (Text("status") is { } statusText)
        {
            if (!int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                problem = "status must be a number";
                return null;
            }
            status = parsed;
        }
        bool? repeat = null;
        if (Text("repeat") is { } repeatText)
        {
            if (!bool.TryParse(repeatText, out var parsed))
            {
                problem = "repeat must be true or false";
                return null;
            }
            repeat = parsed;
        }
        long? after = null;
        if (Text("after") is { } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                problem = "after must be a sequence number";
                return null;
            }
            after = parsed;
        }
        int? limit = null;
        if (Text("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                problem = "limit must be a positive number";
                return null;
            }
            limit = parsed;
        }
        return new RequestLogQuery
        {
            Emulator = Text("emulator"),
            Method = Text("method"),
            Path = Text("path"),
            IdempotencyKey = Text("idempotencyKey"),
            Status = status,
            Repeat = repeat,
            After = after,
            Limit = limit,
        };
    }
}
