using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Core.Endpoints;
using Router.Endpoints.Listener;
using Router.Endpoints.OneCHttp.Sale;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// An <c>onec-http</c> endpoint in exchange mode, as the router's HTTP listener serves it: 1C calls it (nothing to
/// poll), its uploads are handed to the routes reading from it, and its <c>sale query</c> offers what the routes
/// delivering to it queued.
/// </summary>
public sealed class ExchangeInboundEndpoint : IHttpInboundEndpoint
{
    private readonly ExchangeProtocol protocol;

    public ExchangeInboundEndpoint(string id, ExchangeOptions options, EndpointServices services)
    {
        Id = id;
        Options = options;
        protocol = new ExchangeProtocol(id, options, services);
    }

    public string Id { get; }

    public ExchangeOptions Options { get; }

    public SaleQueue SaleQueue => protocol.SaleQueue;

    public TimeSpan? PollInterval => null;

    internal ExchangeProtocol Protocol => protocol;

    /// <summary>Nothing to poll: 1C comes to the router. <c>run --once</c> therefore takes nothing from here.</summary>
    public Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken) => Task.FromResult(PollResult.Empty);

    public void MapRoutes(IEndpointRouteBuilder routes, IInboundSink sink) =>
        // 1C uses GET for every step but the uploads; Bitrix accepts either for all, and so does the router.
        routes.MapMethods(Options.Path, [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => protocol.HandleAsync(context, sink));

    public Task DrainAsync(CancellationToken cancellationToken) => protocol.DrainAsync(cancellationToken);
}
