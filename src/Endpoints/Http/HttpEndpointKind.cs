using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Http;

/// <summary>A generic JSON-over-HTTP partner API. Outbound only: webhooks arrive through the host's HTTP listener.</summary>
public sealed class HttpEndpointKind : IEndpointKind
{
    public const string Name = "http";

    private const string HeaderNamePattern = @"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
    private const string HeaderNameDescription = "an HTTP header name";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(HttpOptionKeys.Url, new StringSchema
        {
            Format = StringFormat.Url,
            Description = "Where to send each message.",
        }) { Required = true },
        new PropertySchema(HttpOptionKeys.Method, new StringSchema
        {
            Enum = HttpOutboundOptions.Methods,
            Description = "The HTTP method.",
            Default = "POST",
        }),
        new PropertySchema(HttpOptionKeys.Headers, new MapSchema(new StringSchema
        {
            Description = "The header's value; use ${env:…} or ${file:…} for secrets, which are then masked everywhere.",
        })
        {
            KeyPattern = HeaderNamePattern,
            KeyPatternDescription = HeaderNameDescription,
            Description = "Extra request headers.",
        }),
        new PropertySchema(HttpOptionKeys.Auth, new SingleKeySchema(new Dictionary<string, SchemaNode>
        {
            [HttpOptionKeys.Basic] = new ObjectSchema(
                new PropertySchema(HttpOptionKeys.User, new StringSchema { Description = "The user name." }) { Required = true },
                new PropertySchema(HttpOptionKeys.Password, new StringSchema { Secret = true, Description = "The password." }) { Required = true })
            {
                Description = "HTTP Basic authentication.",
            },
            [HttpOptionKeys.Bearer] = new StringSchema { Secret = true, Description = "A bearer token, sent as 'Authorization: Bearer <token>'." },
        })
        {
            KeyNoun = "authentication scheme",
            Description = "How to authenticate: { basic: { user, password } } or { bearer: token }. The Authorization header is always masked.",
        }),
        new PropertySchema(HttpOptionKeys.Body, new StringSchema
        {
            Enum = BodyModes.Names,
            Description = "Send the payload, or the whole envelope.",
            Default = BodyModes.Payload,
        }),
        new PropertySchema(HttpOptionKeys.IdempotencyHeader, new StringSchema
        {
            Pattern = HeaderNamePattern,
            PatternDescription = HeaderNameDescription,
            Description = "The header carrying the delivery's idempotency key (the same across retries and replays).",
            Default = HttpOutboundOptions.DefaultIdempotencyHeader,
        }))
    {
        Description = "A JSON-over-HTTP API.",
    };

    public string Kind => Name;

    public string Description => "A JSON-over-HTTP API: one request per message, with an idempotency key, classified answers and Retry-After.";

    public EndpointDirections Directions => EndpointDirections.Outbound;

    public ObjectSchema OptionsSchema => Schema;

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        throw new InvalidOperationException($"endpoint '{definition.Id}': the http kind only sends; webhooks are received by the host's HTTP listener");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new HttpOutboundEndpoint(definition.Id, HttpOutboundOptions.Read(definition.Options), services);
}
