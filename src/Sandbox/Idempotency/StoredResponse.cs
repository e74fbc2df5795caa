using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Router.Sandbox.Idempotency;

/// <summary>An emulator's answer as bytes, so it can be stored and sent again verbatim for a repeated key.</summary>
public sealed record StoredResponse(int Status, byte[] Body, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static StoredResponse Json(int status, object body, params KeyValuePair<string, string>[] headers) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(body, SandboxJson.Options), "application/json; charset=utf-8", headers);

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers.Append(name, value);
        }
        await response.Body.WriteAsync(Body, cancellationToken);
    }
}
