using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.YooKassa.Webhook;
using Keys = Router.Endpoints.YooKassa.YooKassaOptionKeys;

namespace Router.Endpoints.YooKassa;

/// <summary>
/// YooKassa API v3: outbound, the payment commands (create, capture, cancel, refund); inbound, its HTTP
/// notifications on the router's listener, checked by source network and by fetching the object again.
/// </summary>
public sealed class YooKassaEndpointKind : ICheckedEndpointKind, IHttpServedEndpointKind, IEndpointKind
{
    public const string Name = "yookassa";

    private static readonly ArraySchema NetworkListSchema = new(new StringSchema
    {
        Pattern = @"^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$",
        PatternDescription = "an IP address or a network in CIDR form",
        Description = "An address (77.75.156.11) or a network (185.71.76.0/27, 2a02:5180:0:1509::/64).",
    }) { AllowSingle = true };

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(Keys.BaseUrl, new StringSchema
        {
            Format = StringFormat.Url,
            Description = "YooKassa's API root; point it at the sandbox (http://127.0.0.1:5090/yookassa/v3) for tests.",
            Default = YooKassaOptions.DefaultBaseUrl,
        }),
        new PropertySchema(Keys.ShopId, new StringSchema { Description = "The shop's id (shopId): the Basic auth user name." }) { Required = true },
        new PropertySchema(Keys.SecretKey, new StringSchema
        {
            Secret = true,
            Description = "The shop's secret key (test_… for test shops): the Basic auth password; use ${env:…} or ${file:…}.",
        }) { Required = true },
        new PropertySchema(Keys.ReturnUrl, new StringSchema
        {
            Format = StringFormat.Url,
            Description = "Where the payer returns after paying, when a payment request names none.",
        }),
        new PropertySchema(Keys.AcceptedRetries, new IntegerSchema
        {
            Minimum = 0,
            Maximum = 10,
            Default = YooKassaOptions.DefaultAcceptedRetries,
            Description = "How many HTTP 202 ('not finished, retry after') answers one attempt waits out, repeating with the same Idempotence-Key, before it is retried later.",
        }),
        new PropertySchema(Keys.Webhook, new ObjectSchema(
            new PropertySchema(Keys.Path, new StringSchema
            {
                Pattern = "^/[^?#{}]*$",
                PatternDescription = "a URL path starting with /",
                Description = "The path YooKassa's HTTP notifications are posted to (set the https URL in the YooKassa cabinet).",
                Default = YooKassaWebhookOptions.DefaultPath,
            }),
            new PropertySchema(Keys.Allow, NetworkListSchema with
            {
                Description = "Networks notifications are accepted from; default: the list published in YooKassa's SDKs (" +
                    string.Join(", ", YooKassaWebhookOptions.DocumentedNetworks) + ").",
            }),
            new PropertySchema(Keys.TrustedProxies, NetworkListSchema with
            {
                Description = "Your reverse proxies: X-Forwarded-For is believed only when the direct peer is in this list. Empty by default.",
            }))
        {
            Description = "The inbound side: YooKassa's HTTP notifications, served on router.http.listen when a route reads from this endpoint.",
        }))
    {
        Description = "YooKassa payments: create/capture/cancel/refund, and its webhook.",
    };

    public string Kind => Name;

    public string Description => "YooKassa API v3: creates, captures, cancels and refunds payments; receives its HTTP notifications (checked by source network and re-fetched).";

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => Schema;

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage)
    {
        if (!options.Contains(Keys.ShopId) || !options.Contains(Keys.SecretKey))
        {
            yield break; // the schema reports them
        }
        ConfigException? problem = null;
        try
        {
            YooKassaOptions.Read(options);
        }
        catch (ConfigException ex)
        {
            problem = ex;
        }
        if (problem is not null)
        {
            yield return problem;
        }
    }

    public IReadOnlyList<string> ServedPaths(ConfigMapping options, EndpointUsage usage) =>
        usage.IsSource ? [options.GetMapping(Keys.Webhook)?.GetString(Keys.Path) ?? YooKassaWebhookOptions.DefaultPath] : [];

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        new YooKassaWebhookEndpoint(definition.Id, YooKassaOptions.Read(definition.Options), services);

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new YooKassaOutboundEndpoint(definition.Id, YooKassaOptions.Read(definition.Options), services);
}
