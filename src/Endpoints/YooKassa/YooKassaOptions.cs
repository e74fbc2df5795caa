using System.Net;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Endpoints.Http;
using Router.Endpoints.YooKassa.Webhook;
using Keys = Router.Endpoints.YooKassa.YooKassaOptionKeys;

namespace Router.Endpoints.YooKassa;

/// <summary>Where the webhook is served and whom it believes.</summary>
public sealed record YooKassaWebhookOptions
{
    public const string DefaultPath = "/webhooks/yookassa";

    /// <summary>
    /// The networks YooKassa sends notifications from, as shipped in the official SDKs (SecurityHelper, 2022). Kept
    /// in configuration because YooKassa may change them.
    /// </summary>
    public static readonly IReadOnlyList<string> DocumentedNetworks =
    [
        "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.154.128/25", "77.75.156.11", "77.75.156.35",
        "2a02:5180:0:1509::/64", "2a02:5180:0:2655::/64", "2a02:5180:0:1533::/64", "2a02:5180:0:2669::/64",
    ];

    public string Path { get; init; } = DefaultPath;

    public NetworkList Allow { get; init; } = new(DocumentedNetworks.Select(n => NetworkList.TryParseNetwork(n)!.Value).ToList());

    /// <summary>Reverse proxies in front of the router: only when the direct peer is one of them is X-Forwarded-For read.</summary>
    public NetworkList TrustedProxies { get; init; } = NetworkList.None;

    /// <summary>The largest notification body read; real ones are a few KB.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;
}

/// <summary>A <c>yookassa</c> endpoint's options, read after schema validation.</summary>
public sealed record YooKassaOptions
{
    public const string DefaultBaseUrl = "https://api.yookassa.ru/v3";
    public const int DefaultAcceptedRetries = 3;

    /// <summary>Ends with a slash so relative paths (payments, refunds/…) land under /v3/.</summary>
    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl + "/");

    public bool BaseUrlIsSecret { get; init; }
    public required string ShopId { get; init; }
    public required string SecretKey { get; init; }

    /// <summary>Where the payer returns after paying, unless the payment request names its own.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>How many times an HTTP 202 ("not finished, retry after") is waited out and repeated within one attempt.</summary>
    public int AcceptedRetries { get; init; } = DefaultAcceptedRetries;

    /// <summary>The longest single wait for a 202's retry_after; longer hints end the attempt as transient with that hint.</summary>
    public TimeSpan MaxAcceptedWait { get; init; } = TimeSpan.FromSeconds(10);

    public YooKassaWebhookOptions Webhook { get; init; } = new();

    public string Authorization => BasicAuthorization.Header(ShopId, SecretKey);

    /// <summary>Values that must never appear in an error message, a log line or a dead letter.</summary>
    public IReadOnlyList<string> SecretValues => [SecretKey, Authorization, Authorization["Basic ".Length..]];

    public static YooKassaOptions Read(ConfigMapping options)
    {
        var baseText = options.GetString(Keys.BaseUrl, DefaultBaseUrl);
        var baseSecret = options.IsSecret(Keys.BaseUrl);
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps) || baseUrl.Query.Length > 0)
        {
            throw new ConfigException(options[Keys.BaseUrl]!.Mark,
                baseSecret ? $"'{Keys.BaseUrl}' must be an absolute http(s) URL without a query" : $"'{Keys.BaseUrl}' must be an absolute http(s) URL without a query, not '{baseText}'");
        }
        var returnUrl = options.GetString(Keys.ReturnUrl);
        if (returnUrl is not null && !Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
        {
            throw new ConfigException(options[Keys.ReturnUrl]!.Mark, $"'{Keys.ReturnUrl}' must be an absolute URL, not '{returnUrl}'");
        }
        var acceptedRetries = options.GetInt(Keys.AcceptedRetries, DefaultAcceptedRetries);
        return new YooKassaOptions
        {
            BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
            BaseUrlIsSecret = baseSecret,
            ShopId = options.GetRequiredString(Keys.ShopId),
            SecretKey = options.GetRequiredString(Keys.SecretKey),
            ReturnUrl = returnUrl,
            AcceptedRetries = acceptedRetries,
            Webhook = ReadWebhook(options.GetMapping(Keys.Webhook)),
        };
    }

    private static YooKassaWebhookOptions ReadWebhook(ConfigMapping? webhook)
    {
        if (webhook is null)
        {
            return new YooKassaWebhookOptions();
        }
        var path = webhook.GetString(Keys.Path, YooKassaWebhookOptions.DefaultPath);
        if (!path.StartsWith('/') || path.Contains('?') || path.Contains('#') || path.Contains('{'))
        {
            throw new ConfigException(webhook[Keys.Path]!.Mark, $"'{Keys.Path}' must be a URL path such as {YooKassaWebhookOptions.DefaultPath}, not '{path}'");
        }
        var defaults = new YooKassaWebhookOptions();
        return new YooKassaWebhookOptions
        {
            Path = path,
            Allow = webhook.Contains(Keys.Allow) ? ReadNetworks(webhook, Keys.Allow) : defaults.Allow,
            TrustedProxies = webhook.Contains(Keys.TrustedProxies) ? ReadNetworks(webhook, Keys.TrustedProxies) : NetworkList.None,
        };
    }

    private static NetworkList ReadNetworks(ConfigMapping webhook, string key)
    {
        var networks = new List<IPNetwork>();
        foreach (var text in webhook.GetStringList(key))
        {
            networks.Add(NetworkList.TryParseNetwork(text) ?? throw new ConfigException(webhook[key]!.Mark,
                $"'{key}' entry '{text}' is not an address or a network in CIDR form (e.g. 185.71.76.0/27; the address must be the network's first)"));
        }
        return new NetworkList(networks);
    }
}
