using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;

namespace Router.Endpoints.Boxberry;

/// <summary><c>boxberry</c>: Boxberry's json.php. Delivers shipment commands; routes reading from it get the polled statuses.</summary>
public sealed class BoxberryEndpointKind : IEndpointKind, ICheckedEndpointKind
{
    public const string Name = "boxberry";

    public string Kind => Name;

    public string Description => BoxberryOptions.Schema.Description!;

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => BoxberryOptions.Schema;

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage)
    {
        if (!options.Contains(BoxberryOptionKeys.Token))
        {
            yield break; // the schema reports it
        }
        ConfigException? problem = null;
        try
        {
            BoxberryOptions.Read(options);
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

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        new BoxberryInboundEndpoint(definition.Id, BoxberryOptions.Read(definition.Options), services);

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new BoxberryOutboundEndpoint(definition.Id, BoxberryOptions.Read(definition.Options), services);
}
