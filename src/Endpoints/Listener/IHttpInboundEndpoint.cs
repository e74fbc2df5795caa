using Microsoft.AspNetCore.Routing;
using Router.Core.Endpoints;

namespace Router.Endpoints.Listener;

/// <summary>
/// An inbound endpoint that others call on the router's HTTP listener instead of one the router polls: 1C's
/// exchange, partner webhooks. It maps its own routes; whatever it receives goes through <see cref="IInboundSink"/>
/// before it answers, exactly as a poller hands off before it acknowledges.
/// </summary>
public interface IHttpInboundEndpoint : IInboundEndpoint
{
    /// <summary>Called once, before the listener starts accepting requests.</summary>
    void MapRoutes(IEndpointRouteBuilder routes, IInboundSink sink);

    /// <summary>
    /// Finishes work that requests started and that outlives them (a large 1C import handed off in the background),
    /// or abandons it when <paramref name="cancellationToken"/> fires; abandoned work must be safe to start again.
    /// Called after the listener stopped taking requests and before the engine stops.
    /// </summary>
    Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
