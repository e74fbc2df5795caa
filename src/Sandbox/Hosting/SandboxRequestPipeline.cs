using Microsoft.AspNetCore.Http;
using Router.Sandbox.Control;
using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Hosting;

/// <summary>
/// Wraps every emulator request: records it, then applies the emulator's down switch, latency and next fault
/// before (or instead of) letting the emulator answer.
/// </summary>
internal sealed class SandboxRequestPipeline
{
    private readonly SandboxState state;

    public SandboxRequestPipeline(SandboxState state)
    {
        this.state = state;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(ControlApi.Prefix))
        {
            await next(context);
            return;
        }

        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);
        var path = context.Request.Path.Value ?? "/";
        var emulator = state.Owner(path);
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, gone.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            context.Abort();
            return;
        }

        var sequence = state.Requests.Begin(new RequestLogEntry
        {
            Emulator = emulator?.Name,
            Method = context.Request.Method,
            Path = path,
            Query = context.Request.QueryString.HasValue ? context.Request.QueryString.Value : null,
            Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = System.Text.Encoding.UTF8.GetString(body),
            IdempotencyKey = emulator?.IdempotencyHeader is { } header && context.Request.Headers.TryGetValue(header, out var key) ? key.ToString() : null,
        });
        var feature = new SandboxRequestFeature(emulator, body, sequence);
        context.Features.Set(feature);

        var decision = emulator is null ? FaultDecision.None : state.Faults.Next(emulator.Name, path);
        try
        {
            if (decision.Down)
            {
                DropConnection(context, sequence, "down");
                return;
            }
            if (decision.Latency > TimeSpan.Zero)
            {
                await Task.Delay(decision.Latency, state.Clock, gone.Token);
            }
            switch (decision.Fault)
            {
                case { Type: FaultType.Reset }:
                    DropConnection(context, sequence, decision.Fault.Describe());
                    return;
                case { Type: FaultType.Timeout }:
                    state.Requests.Complete(sequence, e => e with { Fault = decision.Fault.Describe() });
                    await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
                    return;
                case { Type: FaultType.Status } fault:
                    await AnswerFaultAsync(context, fault, gone.Token);
                    break;
                default:
                    await next(context);
                    break;
            }
            var status = context.Response.StatusCode;
            state.Requests.Complete(sequence, e => e with
            {
                Status = status,
                Outcome = RequestOutcome.Answered,
                Fault = decision.Fault?.Describe(),
                Repeat = feature.Repeat,
            });
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested)
        {
            // The client gave up (or the sandbox is stopping): make sure no half answer goes out.
            state.Requests.Complete(sequence, e => e with { Outcome = RequestOutcome.ClientGaveUp });
            context.Abort();
        }
        catch (Exception) when (!gone.IsCancellationRequested)
        {
            // An emulator bug: Kestrel answers 500, and the log should say so rather than stay pending.
            state.Requests.Complete(sequence, e => e with { Status = StatusCodes.Status500InternalServerError, Outcome = RequestOutcome.Answered });
            throw;
        }
    }

    private void DropConnection(HttpContext context, long sequence, string fault)
    {
        state.Requests.Complete(sequence, e => e with { Outcome = RequestOutcome.ConnectionReset, Fault = fault });
        context.Abort();
    }

    private static async Task AnswerFaultAsync(HttpContext context, FaultSpec fault, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = fault.Status;
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        if (fault.Body is { } body)
        {
            context.Response.ContentType = fault.ContentType ?? "text/plain; charset=utf-8";
            await context.Response.WriteAsync(body, cancellationToken);
        }
        else if (fault.Status is >= 200 and not 204 and not 304)
        {
            await context.Response.WriteAsJsonAsync(
                new { error = "injected_fault", status = fault.Status, message = $"the sandbox answered {fault.Status} as instructed" },
                SandboxJson.Options,
                cancellationToken);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        // Handlers that read the body themselves still find all of it.
        request.Body = new MemoryStream(body, writable: false);
        return body;
    }
}
