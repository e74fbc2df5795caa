using System.Text;
using Router.Core.Endpoints;
using Router.Core.Failures;

namespace Router.Endpoints.Http;

/// <summary>
/// What every endpoint that calls a partner over HTTP does the same way: build the request from a plan, turn
/// connection errors and cancellations into transient failures, and quote an error answer without its secrets.
/// </summary>
public static class PartnerHttp
{
    private const int ErrorBodyExcerptBytes = 1024;
    private const int ErrorBodyExcerptChars = 300;

    /// <summary>Sends; a failure to get an answer is transient (the idempotency key covers the retry).</summary>
    /// <param name="what">"POST http://host/path", for the error message (already safe to show).</param>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            // The caller's pipeline cancels on its timeout; whether the partner acted is unknown.
            throw new TransientFailureException($"{what}: no answer before the attempt was cancelled (timeout)", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientFailureException($"{what}: {Describe(ex)}", ex);
        }
    }

    public static HttpRequestMessage BuildRequest(DeliveryPlan plan, string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), plan.Target)
        {
            Content = new ByteArrayContent(plan.Body),
        };
        if (plan.ContentType is { } contentType)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (name, value) in plan.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content-Language and friends belong to the content.
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    public static string Describe(HttpRequestException exception)
    {
        var detail = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            detail.Append(" (").Append(inner.Message).Append(')');
        }
        if (exception.HttpRequestError != HttpRequestError.Unknown)
        {
            detail.Append(" [").Append(exception.HttpRequestError).Append(']');
        }
        return detail.ToString();
    }

    /// <summary>The start of an error answer, on one line, with every given secret scrubbed out.</summary>
    public static async Task<string> ReadExcerptAsync(HttpResponseMessage response, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ErrorBodyExcerptBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, filled);
            var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            foreach (var secret in secrets)
            {
                oneLine = oneLine.Replace(secret, "***", StringComparison.Ordinal);
            }
            return oneLine.Length <= ErrorBodyExcerptChars ? oneLine : oneLine[..ErrorBodyExcerptChars] + "…";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // The status says enough; a body that breaks off must not hide it.
            return "";
        }
    }
}
