using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;

namespace Router.Endpoints.Cdek;

/// <summary>
/// <c>cdek</c>: CDEK API v2. Routes deliver <c>shipment.requested</c> and <c>shipment.cancel-requested</c> to it;
/// routes reading from it receive <c>shipment.status-changed</c> (the delivery's replies, the webhook, polling).
/// </summary>
public sealed class CdekEndpointKind : IEndpointKind, IHttpServedEndpointKind, ICheckedEndpointKind
{
    public const string Name = "cdek";

    public string Kind => Name;

    public string Description => CdekOptions.Schema.Description!;

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => CdekOptions.Schema;

    public IReadOnlyList<string> ServedPaths(ConfigMapping options, EndpointUsage usage) =>
        options.GetMapping(CdekOptionKeys.Webhook) is { } webhook && usage.IsSource
            ? [webhook.GetString(CdekOptionKeys.Path, CdekOptions.DefaultWebhookPath)]
            : [];

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage)
    {
        if (!options.Contains(CdekOptionKeys.ClientId) || !options.Contains(CdekOptionKeys.ClientSecret))
        {
            yield break; // the schema reports them
        }
        ConfigException? problem = null;
        try
        {
            CdekOptions.Read(options);
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

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services)
    {
        var options = CdekOptions.Read(definition.Options);
        return options.WebhookSecret is null
            ? new CdekInboundEndpoint(definition.Id, options, services)
            : new CdekWebhookInboundEndpoint(definition.Id, options, services);
    }

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new CdekOutboundEndpoint(definition.Id, CdekOptions.Read(definition.Options), services);
}
