using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.OneCHttp.Exchange;
using Router.Endpoints.OneCHttp.Sale;
using Router.Endpoints.OneCHttp.Services;
using Keys = Router.Endpoints.OneCHttp.OneCHttpOptionKeys;

namespace Router.Endpoints.OneCHttp;

/// <summary>
/// 1C over HTTP, in one of two explicit modes. <c>exchange</c>: the router is the site of 1C's «Обмен с сайтом»
/// (CommerceML over HTTP; 1C calls the router's listener), receiving catalogue and status files and serving the
/// orders that routes queue for 1C's <c>sale query</c>. <c>service</c>: the router calls 1C's HTTP services
/// (<c>/hs/…</c>, JSON) and can read its OData.
/// </summary>
public sealed class OneCHttpEndpointKind : ICheckedEndpointKind, IHttpServedEndpointKind, IEndpointKind
{
    public const string Name = "onec-http";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(Keys.Mode, new StringSchema
        {
            Enum = OneCHttpModes.Names,
            Description = "exchange: 1C calls the router (the CommerceML «Обмен с сайтом» protocol, router as the site); service: the router calls 1C's HTTP services and OData.",
        }) { Required = true },
        new PropertySchema(Keys.User, new StringSchema
        {
            Description = "exchange: the user 1C logs in with (Basic auth on checkauth). service: the 1C infobase user the router logs in as.",
        }) { Required = true },
        new PropertySchema(Keys.Password, new StringSchema { Secret = true, Description = "The password for 'user'; use ${env:…} or ${file:…}." }) { Required = true },
        new PropertySchema(Keys.Path, new StringSchema
        {
            Description = "exchange: the URL path 1C is configured with (the site address's path).",
            Default = ExchangeOptions.DefaultPath,
        }),
        new PropertySchema(Keys.ExchangeDir, new StringSchema
        {
            Format = StringFormat.Path,
            Description = "exchange: a folder for uploads in progress (upload/), refused uploads with notes (failed/) and the orders queued for 1C (sale/). Required in exchange mode.",
        }),
        new PropertySchema(Keys.FileLimit, new StringSchema
        {
            Format = StringFormat.Size,
            Description = "exchange: the chunk size 1C is told at init; larger files arrive in several appended parts.",
            Default = "1MB",
        }),
        new PropertySchema(Keys.MaxFileSize, new StringSchema
        {
            Format = StringFormat.Size,
            Description = "exchange: a larger uploaded file is refused (default: router.limits.maxMessageSize).",
        }),
        new PropertySchema(Keys.MaxUploadSize, new StringSchema
        {
            Format = StringFormat.Size,
            Description = "exchange: all files of one exchange session together (pictures included) may not exceed this.",
            Default = "256MB",
        }),
        new PropertySchema(Keys.BackgroundImportAbove, new StringSchema
        {
            Format = StringFormat.Size,
            Description = "exchange: imports of larger files are handed to the router in the background, answering 'progress' until done; smaller ones answer at once.",
            Default = "1MB",
        }),
        new PropertySchema(Keys.SessionTimeout, new StringSchema
        {
            Format = StringFormat.Duration,
            Description = "exchange: an exchange session unused this long is forgotten with its unimported uploads (1C then logs in again).",
            Default = "1h",
        }),
        new PropertySchema(Keys.BaseUrl, new StringSchema
        {
            Format = StringFormat.Url,
            Description = "service: the 1C publication, e.g. http://onec.local/trade (HTTP services under hs/, OData under odata/standard.odata/). Required in service mode.",
        }),
        new PropertySchema(Keys.Service, new StringSchema
        {
            Description = "service: the HTTP service's root URL; orders go to hs/<service>/orders, customers to hs/<service>/customers.",
            Default = ServiceOptions.DefaultService,
        }),
        new PropertySchema(Keys.IdempotencyHeader, new StringSchema
        {
            Pattern = @"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            PatternDescription = "an HTTP header name",
            Description = "service: the header carrying the delivery's idempotency key.",
            Default = "Idempotency-Key",
        }))
    {
        Description = "1C over HTTP: the CommerceML exchange served to 1C (mode: exchange) or 1C's HTTP services and OData (mode: service).",
    };

    public string Kind => Name;

    public string Description => "1C over HTTP: serves 1C's CommerceML «Обмен с сайтом» (mode: exchange) or calls 1C's HTTP services and OData (mode: service).";

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => Schema;

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage)
    {
        if (options[Keys.Mode] is not ConfigScalar { Value: { } modeText } modeNode || !OneCHttpModes.Names.Contains(modeText))
        {
            yield break; // the schema reports a missing or unknown mode
        }
        var mode = OneCHttpModes.Parse(modeText);
        var foreign = mode == OneCHttpMode.Exchange ? Keys.ServiceOnly : Keys.ExchangeOnly;
        foreach (var key in foreign.Where(options.Contains))
        {
            yield return new ConfigException(options.KeyNode(key)!.Mark, mode == OneCHttpMode.Exchange
                ? $"'{key}' belongs to mode: service (the router calling 1C); this endpoint is mode: exchange (1C calling the router)"
                : $"'{key}' belongs to mode: exchange (1C calling the router); this endpoint is mode: service (the router calling 1C)");
        }
        if (mode == OneCHttpMode.Service && usage.IsSource)
        {
            yield return new ConfigException(modeNode.Mark,
                "a route reads from this endpoint, but mode: service only sends (1C has no push); to receive from 1C use mode: exchange");
        }
        if (mode == OneCHttpMode.Exchange && !options.Contains(Keys.ExchangeDir))
        {
            yield return new ConfigException(modeNode.Mark, $"mode: exchange needs '{Keys.ExchangeDir}': the folder for uploads and the orders queued for 1C");
            yield break;
        }
        if (mode == OneCHttpMode.Service && !options.Contains(Keys.BaseUrl))
        {
            yield return new ConfigException(modeNode.Mark, $"mode: service needs '{Keys.BaseUrl}': the 1C publication, e.g. http://onec.local/trade");
            yield break;
        }
        if (!options.Contains(Keys.User) || !options.Contains(Keys.Password))
        {
            yield break; // the schema reports them
        }
        var problem = mode == OneCHttpMode.Exchange ? TryRead(() => ExchangeOptions.Read(options, PathOnlyServices)) : TryRead(() => ServiceOptions.Read(options));
        if (problem is not null)
        {
            yield return problem;
        }
    }

    public IReadOnlyList<string> ServedPaths(ConfigMapping options, EndpointUsage usage) =>
        options.GetString(Keys.Mode) == OneCHttpModes.Exchange ? [options.GetString(Keys.Path, ExchangeOptions.DefaultPath)] : [];

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        ModeOf(definition) == OneCHttpMode.Exchange
            ? new ExchangeInboundEndpoint(definition.Id, ExchangeOptions.Read(definition.Options, services), services)
            : throw new ConfigException(definition.Mark, $"endpoint '{definition.Id}' is mode: service, which only sends; to receive from 1C use mode: exchange");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        ModeOf(definition) == OneCHttpMode.Exchange
            ? new SaleQueueOutboundEndpoint(definition.Id, ExchangeOptions.Read(definition.Options, services), services)
            : new ServiceOutboundEndpoint(definition.Id, ServiceOptions.Read(definition.Options), services);

    private static OneCHttpMode ModeOf(EndpointDefinition definition) => OneCHttpModes.Parse(definition.Options.GetRequiredString(Keys.Mode));

    private static ConfigException? TryRead(Action read)
    {
        try
        {
            read();
            return null;
        }
        catch (ConfigException ex)
        {
            return ex;
        }
    }

    /// <summary>Reading options at validation time resolves paths but touches nothing.</summary>
    private static readonly EndpointServices PathOnlyServices = new()
    {
        FileSystem = new System.IO.Abstractions.FileSystem(),
        Http = new Http.HttpClientProvider(),
        Clock = TimeProvider.System,
        Logger = Serilog.Core.Logger.None,
        BaseDirectory = Directory.GetCurrentDirectory(),
    };
}
