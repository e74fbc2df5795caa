using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Transformers.Cdek;

namespace Router.Endpoints.Cdek;

/// <summary>The YAML keys of a <c>cdek</c> endpoint.</summary>
public static class CdekOptionKeys
{
    public const string BaseUrl = "baseUrl";
    public const string ClientId = "clientId";
    public const string ClientSecret = "clientSecret";
    public const string Shipment = "shipment";
    public const string Webhook = "webhook";
    public const string Poll = "poll";
    public const string ConfirmWait = "confirmWait";

    // shipment:
    public const string Tariff = "tariff";
    public const string ShipmentPoint = "shipmentPoint";
    public const string FromLocation = "fromLocation";
    public const string Code = "code";
    public const string Address = "address";
    public const string OrderType = "orderType";
    public const string Seller = "seller";
    public const string Name = "name";
    public const string Inn = "inn";
    public const string Phone = "phone";
    public const string SenderName = "senderName";

    // webhook:
    public const string Secret = "secret";
    public const string Path = "path";
}

/// <summary>A <c>cdek</c> endpoint's options, read once.</summary>
public sealed record CdekOptions
{
    public const string DefaultBaseUrl = "https://api.cdek.ru/v2";
    public const string DefaultWebhookPath = "/webhooks/cdek";
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultConfirmWait = TimeSpan.FromSeconds(10);

    /// <summary>Ends with a slash so that relative paths (orders, oauth/token) land under /v2.</summary>
    public required Uri BaseUrl { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public CdekShipmentDefaults Shipment { get; init; } = new();

    /// <summary>The secret path segment of the webhook; null when CDEK's webhooks are not received.</summary>
    public string? WebhookSecret { get; init; }
    public string WebhookPath { get; init; } = DefaultWebhookPath;

    /// <summary>How often orders in non-final states are re-read (CDEK sends each webhook once, so this is the safety net).</summary>
    public TimeSpan Poll { get; init; } = DefaultPoll;

    /// <summary>How long a create waits for CDEK to finish validating (ACCEPTED → SUCCESSFUL/INVALID) before leaving it to a redelivery.</summary>
    public TimeSpan ConfirmWait { get; init; } = DefaultConfirmWait;

    public IReadOnlyList<string> SecretValues => WebhookSecret is null ? [ClientSecret] : [ClientSecret, WebhookSecret];

    public static readonly ObjectSchema Schema = new(
        new PropertySchema(CdekOptionKeys.BaseUrl, new StringSchema
        {
            Format = StringFormat.Url,
            Default = DefaultBaseUrl,
            Description = "CDEK API v2 root: https://api.cdek.ru/v2 (production), https://api.edu.cdek.ru/v2 (test), or the sandbox's /cdek/v2.",
        }),
        new PropertySchema(CdekOptionKeys.ClientId, new StringSchema { Description = "The account (client_id) for OAuth client_credentials." }) { Required = true },
        new PropertySchema(CdekOptionKeys.ClientSecret, new StringSchema { Secret = true, Description = "The secure password (client_secret); use ${env:…} or ${file:…}." }) { Required = true },
        new PropertySchema(CdekOptionKeys.Shipment, new ObjectSchema(
            new PropertySchema(CdekOptionKeys.Tariff, new IntegerSchema { Minimum = 1, Description = "tariff_code when a shipment request names none, e.g. 136 (посылка склад-склад)." }),
            new PropertySchema(CdekOptionKeys.ShipmentPoint, new StringSchema { Description = "The CDEK office code the shop hands parcels in at (shipment_point); excludes fromLocation." }),
            new PropertySchema(CdekOptionKeys.FromLocation, new ObjectSchema(
                new PropertySchema(CdekOptionKeys.Code, new IntegerSchema { Minimum = 1, Description = "CDEK city code." }),
                new PropertySchema(CdekOptionKeys.Address, new StringSchema { Description = "The pick-up address." }))
            { Description = "Where a courier collects the parcels (from_location); excludes shipmentPoint." }),
            new PropertySchema(CdekOptionKeys.OrderType, new IntegerSchema { Minimum = 1, Maximum = 2, Default = 1, Description = "1: интернет-магазин, 2: доставка." }),
            new PropertySchema(CdekOptionKeys.SenderName, new StringSchema { Description = "The sender's contact name (type 2 orders)." }),
            new PropertySchema(CdekOptionKeys.Seller, new ObjectSchema(
                new PropertySchema(CdekOptionKeys.Name, new StringSchema()),
                new PropertySchema(CdekOptionKeys.Inn, new StringSchema()),
                new PropertySchema(CdekOptionKeys.Phone, new StringSchema()))
            { Description = "The true seller, printed on the waybill." }))
        { Description = "What every order of this shop shares and a shipment request does not say." }),
        new PropertySchema(CdekOptionKeys.Webhook, new ObjectSchema(
            new PropertySchema(CdekOptionKeys.Secret, new StringSchema
            {
                Secret = true,
                Pattern = "^[A-Za-z0-9_-]{16,}$",
                PatternDescription = "at least 16 letters, digits, '-' or '_'",
                Description = "The secret path segment CDEK's unsigned webhooks must carry: subscribe CDEK to <listen>/<path>/<secret>.",
            }) { Required = true },
            new PropertySchema(CdekOptionKeys.Path, new StringSchema { Default = DefaultWebhookPath, Pattern = "^/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$", PatternDescription = "a URL path like /webhooks/cdek", Description = "The path prefix on the router's listener." }))
        { Description = "Receive ORDER_STATUS webhooks on the router's HTTP listener (router.http.listen)." }),
        new PropertySchema(CdekOptionKeys.Poll, new StringSchema
        {
            Format = StringFormat.Duration,
            Default = "10m",
            Description = "How often orders in non-final states are re-read; CDEK sends each webhook once and never retries.",
        }),
        new PropertySchema(CdekOptionKeys.ConfirmWait, new StringSchema
        {
            Format = StringFormat.Duration,
            Default = "10s",
            Description = "How long a create follows CDEK's asynchronous validation before leaving the rest to a redelivery.",
        }))
    {
        Description = "CDEK API v2: creates and cancels shipments (shipment.requested, shipment.cancel-requested) and reports their status (webhook + polling).",
    };

    public static CdekOptions Read(ConfigMapping options)
    {
        var baseText = options.GetString(CdekOptionKeys.BaseUrl, DefaultBaseUrl);
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps) || baseUrl.Query.Length > 0)
        {
            throw new ConfigException(options[CdekOptionKeys.BaseUrl]!.Mark, $"'{CdekOptionKeys.BaseUrl}' must be an absolute http(s) URL without a query, not '{baseText}'");
        }
        var shipment = options.GetMapping(CdekOptionKeys.Shipment);
        var from = shipment?.GetMapping(CdekOptionKeys.FromLocation);
        var seller = shipment?.GetMapping(CdekOptionKeys.Seller);
        if (shipment is not null && from is not null && shipment.GetString(CdekOptionKeys.ShipmentPoint) is not null)
        {
            throw new ConfigException(shipment.KeyNode(CdekOptionKeys.FromLocation)!.Mark,
                "name either shipment.shipmentPoint or shipment.fromLocation: CDEK refuses orders with both (v2_shipment_address_multivalued)");
        }
        var webhook = options.GetMapping(CdekOptionKeys.Webhook);
        return new CdekOptions
        {
            BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
            ClientId = options.GetRequiredString(CdekOptionKeys.ClientId),
            ClientSecret = options.GetRequiredString(CdekOptionKeys.ClientSecret),
            Shipment = new CdekShipmentDefaults
            {
                Tariff = shipment?.GetString(CdekOptionKeys.Tariff) is null ? null : shipment.GetInt(CdekOptionKeys.Tariff, 0),
                ShipmentPoint = shipment?.GetString(CdekOptionKeys.ShipmentPoint),
                FromCityCode = from?.GetString(CdekOptionKeys.Code) is null ? null : from.GetInt(CdekOptionKeys.Code, 0),
                FromAddress = from?.GetString(CdekOptionKeys.Address),
                OrderType = shipment?.GetInt(CdekOptionKeys.OrderType, 1) ?? 1,
                SenderName = shipment?.GetString(CdekOptionKeys.SenderName),
                SellerName = seller?.GetString(CdekOptionKeys.Name),
                SellerInn = seller?.GetString(CdekOptionKeys.Inn),
                SellerPhone = seller?.GetString(CdekOptionKeys.Phone),
            },
            WebhookSecret = webhook?.GetRequiredString(CdekOptionKeys.Secret),
            WebhookPath = webhook?.GetString(CdekOptionKeys.Path, DefaultWebhookPath) ?? DefaultWebhookPath,
            Poll = options.GetDuration(CdekOptionKeys.Poll, DefaultPoll),
            ConfirmWait = options.GetDuration(CdekOptionKeys.ConfirmWait, DefaultConfirmWait),
        };
    }
}
