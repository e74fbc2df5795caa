using System.Net;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Http;

namespace Router.Endpoints.Cdek;

/// <summary>
/// CDEK's OAuth client_credentials token, fetched once and shared by every call until shortly before it expires
/// (CDEK issues ~3600 s; the official SDKs refresh a little early so no call goes out with a token about to lapse).
/// A 401 on a call drops the token it used so the next call fetches a fresh one.
/// </summary>
public sealed class CdekTokenSource
{
    /// <summary>How long before the stated expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;
    private readonly CdekOptions options;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? current;

    public CdekTokenSource(HttpClient http, CdekOptions options, TimeProvider clock)
    {
        this.http = http;
        this.options = options;
        this.clock = clock;
    }

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (current is { } cached && clock.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is { } fresh && clock.GetUtcNow() < fresh.RefreshAt)
            {
                return fresh.Token;
            }
            var obtained = await FetchAsync(cancellationToken);
            current = obtained;
            return obtained.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>CDEK refused <paramref name="token"/>; forget it unless another call already replaced it.</summary>
    public void Reject(string token)
    {
        if (current is { } cached && cached.Token == token)
        {
            current = null;
        }
    }

    private async Task<(string Token, DateTimeOffset RefreshAt)> FetchAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(options.BaseUrl, "oauth/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", options.ClientId),
                new("client_secret", options.ClientSecret),
            ]),
        };
        var what = $"POST {url.GetLeftPart(UriPartial.Path)}";
        using var response = await PartnerHttp.SendAsync(http, request, what, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = await PartnerHttp.ReadExcerptAsync(response, options.SecretValues, cancellationToken);
            var status = (int)response.StatusCode;
            if (StatusCodeClassifier.IsTransientStatus(status))
            {
                throw new TransientFailureException($"{what}: CDEK answered {status} for a token: {excerpt}");
            }
            throw new PermanentFailureException("cdek-auth",
                $"{what}: CDEK refused the client credentials of account '{options.ClientId}' ({status}): {excerpt}");
        }
        CdekToken? token;
        try
        {
            token = await JsonSerializer.DeserializeAsync<CdekToken>(await response.Content.ReadAsStreamAsync(cancellationToken), CdekJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new TransientFailureException($"{what}: CDEK's token answer is not JSON", ex);
        }
        if (token?.AccessToken is not { Length: > 0 } accessToken)
        {
            throw new TransientFailureException($"{what}: CDEK's token answer has no access_token");
        }
        var lifetime = TimeSpan.FromSeconds(Math.Max(1, token.ExpiresIn ?? 3600));
        var margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
        return (accessToken, clock.GetUtcNow() + lifetime - margin);
    }
}
