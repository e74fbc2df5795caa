using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Endpoints.Http;
using Keys = Router.Endpoints.OneCHttp.OneCHttpOptionKeys;

namespace Router.Endpoints.OneCHttp.Services;

/// <summary>An <c>onec-http</c> endpoint in <c>mode: service</c>: where 1C's publication is and how to log in.</summary>
public sealed record ServiceOptions
{
    public const string DefaultService = "exchange";

    /// <summary>The publication, e.g. <c>http://onec.local/trade</c>; HTTP services live under <c>hs/</c>, OData under <c>odata/standard.odata/</c>.</summary>
    public required Uri BaseUrl { get; init; }

    public bool BaseUrlIsSecret { get; init; }

    /// <summary>The HTTP service's root URL (КорневойURL): requests go to <c>hs/&lt;service&gt;/orders</c> and <c>…/customers</c>.</summary>
    public string Service { get; init; } = DefaultService;

    public required string User { get; init; }
    public required string Password { get; init; }
    public string IdempotencyHeader { get; init; } = HttpOutboundOptions.DefaultIdempotencyHeader;

    public string Authorization => BasicAuthorization.Header(User, Password);

    /// <summary>Values that must never appear in an error message, a log line or a dead letter.</summary>
    public IReadOnlyList<string> SecretValues => [Password, Authorization, Authorization["Basic ".Length..]];

    public static ServiceOptions Read(ConfigMapping options)
    {
        var text = options.GetRequiredString(Keys.BaseUrl);
        var secret = options.IsSecret(Keys.BaseUrl);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Query.Length > 0)
        {
            throw new ConfigException(options[Keys.BaseUrl]!.Mark,
                secret ? $"'{Keys.BaseUrl}' must be an absolute http(s) URL without a query" : $"'{Keys.BaseUrl}' must be an absolute http(s) URL without a query, not '{text}'");
        }
        var service = options.GetString(Keys.Service, DefaultService).Trim('/');
        if (service.Length == 0 || service.Contains('?') || service.Contains('#'))
        {
            throw new ConfigException(options[Keys.Service]!.Mark, $"'{Keys.Service}' must be the HTTP service's root URL, e.g. 'exchange'");
        }
        return new ServiceOptions
        {
            // A trailing slash makes relative URLs (hs/…, odata/…) land under the publication instead of beside it.
            BaseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"),
            BaseUrlIsSecret = secret,
            Service = service,
            User = options.GetRequiredString(Keys.User),
            Password = options.GetRequiredString(Keys.Password),
            IdempotencyHeader = options.GetString(Keys.IdempotencyHeader, HttpOutboundOptions.DefaultIdempotencyHeader),
        };
    }
}
