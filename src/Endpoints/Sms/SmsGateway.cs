using Router.Core.Failures;
using Router.Endpoints.Http;
using Router.Endpoints.Notifications;

namespace Router.Endpoints.Sms;

/// <summary>One SMS to send: phones as the gateways want them (<c>79161234567</c>), the text, the sender name.</summary>
public sealed record SmsRequest(IReadOnlyList<string> Phones, string Text, string? Sender);

public enum SmsNumberOutcome
{
    /// <summary>The gateway took it: the SMS is on its way.</summary>
    Accepted,

    /// <summary>The gateway refused this number for good (no route, stop list, bad number).</summary>
    Rejected,

    /// <summary>The gateway refused this number for now (limits, temporarily unavailable): it certainly did not send.</summary>
    Retry,

    /// <summary>The answer says nothing about this number.</summary>
    Unknown,
}

/// <param name="GatewayId">The gateway's message id (sms.ru's sms_id, SMSC's id) when accepted.</param>
/// <param name="Code">The gateway's status or error code, as it wrote it.</param>
public sealed record SmsNumberResult(string Phone, SmsNumberOutcome Outcome, string? GatewayId, string Code, string? Text);

/// <summary>
/// One SMS gateway's wire protocol. A send either returns a result per number, or throws:
/// <see cref="TransientFailureException"/> when the gateway certainly did not send (it said so, or was never reached),
/// <see cref="PermanentFailureException"/> when it refused the whole request for good (credentials, funds, sender),
/// <see cref="SendOutcomeUnknownException"/> when the request may have been acted on but no answer came back.
/// </summary>
public interface ISmsGateway
{
    /// <summary>smsru, smsc.</summary>
    string Provider { get; }

    /// <summary>Where sends go (no credentials in it: they travel in the form body).</summary>
    Uri SendUrl { get; }

    Task<IReadOnlyList<SmsNumberResult>> SendAsync(HttpClient client, SmsRequest request, CancellationToken cancellationToken);
}

/// <summary>The HTTP part both gateways share: a form POST whose failure to answer is either "not sent" or "unknown".</summary>
internal static class SmsHttp
{
    public static async Task<(int Status, string Body)> PostFormAsync(HttpClient client, Uri url, IEnumerable<KeyValuePair<string, string>> form,
        IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            // The connection was never made: the gateway cannot have seen the request.
            throw new TransientFailureException($"POST {url}: {PartnerHttp.Describe(ex)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SendOutcomeUnknownException($"POST {url}: the connection broke after the request was sent: {PartnerHttp.Describe(ex)}", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new SendOutcomeUnknownException($"POST {url}: no answer before the attempt was cancelled (timeout)", ex);
        }
        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                throw new SendOutcomeUnknownException($"POST {url}: the answer broke off: {ex.Message}", ex);
            }
            var status = (int)response.StatusCode;
            if (status >= 500 || status is 429 or 408)
            {
                // A gateway answering 5xx did not take the message (sms.ru and SMSC answer their own errors with 200).
                throw new TransientFailureException($"POST {url} answered {status}: {Scrub(body, secrets)}",
                    retryAfter: RetryAfterHeader.Read(response.Headers, DateTimeOffset.UtcNow));
            }
            if (status >= 400)
            {
                throw new PermanentFailureException($"http-{status}", $"POST {url} answered {status}: {Scrub(body, secrets)}");
            }
            return (status, body);
        }
    }

    public static string Scrub(string text, IReadOnlyList<string> secrets)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            oneLine = oneLine.Replace(secret, "***", StringComparison.Ordinal);
        }
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }
}
