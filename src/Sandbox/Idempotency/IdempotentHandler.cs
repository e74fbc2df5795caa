using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Idempotency;

/// <summary>Runs an emulator's handler behind its idempotency store, keyed by the emulator's idempotency header.</summary>
public static class IdempotentHandler
{
    public static async Task RespondAsync(HttpContext context, IdempotencyStore store, Func<StoredResponse> handle)
    {
        var request = context.SandboxRequest();
        var header = request.Emulator?.IdempotencyHeader;
        var key = header is null ? null : context.Request.Headers[header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            await handle().WriteAsync(context.Response, context.RequestAborted);
            return;
        }

        var claim = store.Claim(key, Fingerprint(context.Request, request.Body));
        StoredResponse response;
        switch (claim.Kind)
        {
            case IdempotencyClaimKind.Replay:
                request.Repeat = true;
                response = claim.Stored!;
                break;
            case IdempotencyClaimKind.Mismatch:
                response = StoredResponse.Json(StatusCodes.Status409Conflict, new
                {
                    error = "idempotency_key_reused",
                    message = $"{header} '{key}' was already used with a different request",
                });
                break;
            case IdempotencyClaimKind.InProgress:
                response = StoredResponse.Json(StatusCodes.Status409Conflict, new
                {
                    error = "idempotency_key_in_use",
                    message = $"a request with {header} '{key}' is still being processed",
                });
                break;
            default:
                try
                {
                    response = handle();
                }
                catch
                {
                    store.Release(key);
                    throw;
                }
                if (response.Status >= 500)
                {
                    store.Release(key);
                }
                else
                {
                    store.Complete(key, response);
                }
                break;
        }
        await response.WriteAsync(context.Response, context.RequestAborted);
    }

    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
