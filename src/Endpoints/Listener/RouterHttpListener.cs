using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Routing;
using Router.Core.Endpoints;

namespace Router.Endpoints.Listener;

/// <summary>
/// The router's one HTTP listener (Kestrel, minimal APIs): every <see cref="IHttpInboundEndpoint"/> maps its routes
/// on it, and later the admin API can too. Stopping stops taking requests, lets those in flight finish, then drains
/// the endpoints' background work, so the engine behind it stops last.
/// </summary>
public sealed class RouterHttpListener : IAsyncDisposable
{
    /// <summary>How long requests in flight may take to finish when the listener stops.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly WebApplication app;
    private readonly IReadOnlyList<IHttpInboundEndpoint> endpoints;
    private readonly Serilog.ILogger logger;
    private int stopped;

    private RouterHttpListener(WebApplication app, IReadOnlyList<IHttpInboundEndpoint> endpoints, Uri address, Serilog.ILogger logger)
    {
        this.app = app;
        this.endpoints = endpoints;
        this.logger = logger;
        Address = address;
    }

    /// <summary>Where it listens, with the port Kestrel chose when the configuration said 0.</summary>
    public Uri Address { get; }

    /// <param name="listen">http://host:port, e.g. <c>http://0.0.0.0:8080</c> (router.http.listen).</param>
    /// <param name="mapMore">Routes that are not inbound endpoints (the admin API).</param>
    public static async Task<RouterHttpListener> StartAsync(string listen, IReadOnlyList<IHttpInboundEndpoint> endpoints, IInboundSink sink,
        Serilog.ILogger logger, CancellationToken cancellationToken, Action<IEndpointRouteBuilder>? mapMore = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(RouterHttpListener).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Each endpoint enforces its own limits while it reads (1C uploads can be large); Kestrel's 30 MB cap would cut them short.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        // The router logs through Serilog; ASP.NET's own chatter stays out, its errors come through the middleware below.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = StopGrace);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        var log = logger.ForContext<RouterHttpListener>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // A bug in one endpoint must not take the listener down; the query string is left out (it may carry tokens).
                log.Error(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                }
            }
        });
        foreach (var endpoint in endpoints)
        {
            endpoint.MapRoutes(app, sink);
        }
        mapMore?.Invoke(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? listen;
        var listener = new RouterHttpListener(app, endpoints, new Uri(address), log);
        log.Information("HTTP listener on {Address} for {Endpoints}", listener.Address, endpoints.Select(e => e.Id).ToList());
        return listener;
    }

    /// <summary>Stops taking requests, waits for those in flight (up to <see cref="StopGrace"/>), then drains the endpoints.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }
        await app.StopAsync(cancellationToken);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        foreach (var endpoint in endpoints)
        {
            try
            {
                await endpoint.DrainAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                logger.Warning("Endpoint {Endpoint} did not finish its background work in {Grace}; it is picked up again on its next call", endpoint.Id, StopGrace);
            }
        }
        logger.Information("HTTP listener stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The router's CLI owns Ctrl-C and SIGTERM; the default console lifetime would take them for itself.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
