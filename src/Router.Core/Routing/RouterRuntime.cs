using Router.Core.Config.Model;
using Router.Core.Endpoints;
using Router.Core.Leases;
using Router.Core.Sagas;
using Router.Core.Stages.Resilience;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>Everything a running router is made of, built once from a validated configuration.</summary>
public sealed class RouterRuntime : IAsyncDisposable
{
    public required RouterConfig Config { get; init; }
    public required IReadOnlyDictionary<string, CompiledRoute> Routes { get; init; }
    public required IReadOnlyDictionary<string, IInboundEndpoint> Inbound { get; init; }
    public required IReadOnlyDictionary<string, IOutboundEndpoint> Outbound { get; init; }
    public required IReadOnlyDictionary<string, DeliveryResilience> Resilience { get; init; }
    public required IRouterState State { get; init; }
    public required IRouterTransport Transport { get; init; }
    public required TimeProvider Clock { get; init; }
    public required Serilog.ILogger Logger { get; init; }

    /// <summary>Which host polls each inbound endpoint and runs each schedule; one host holds everything on SQLite.</summary>
    public ILeaseStore Leases { get; init; } = new SingleHostLeaseStore();

    /// <summary>Where sagas (<see cref="ISagaEndpoint"/>) keep their state; on the embedded default, in the transport's own transactions.</summary>
    public ISagaStorageFactory Sagas { get; init; } = new InMemorySagaStorageFactory();

    /// <summary>Disposed with the runtime (HTTP clients, file watchers…).</summary>
    public IReadOnlyList<IDisposable> OwnedResources { get; init; } = [];

    public IEnumerable<CompiledRoute> RoutesFrom(string endpointId) => Routes.Values.Where(r => r.Definition.From == endpointId);

    /// <summary>Endpoints that some route (or saga) delivers to: each gets a delivery queue.</summary>
    public IReadOnlyList<string> DeliveryEndpoints =>
        Routes.Values.SelectMany(r => r.Destinations.Select(d => d.EndpointId))
            .Concat(Outbound.Values.OfType<ISagaEndpoint>().SelectMany(s => s.Targets))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> AllQueues =>
        [.. Routes.Values.Select(r => r.Queue).Order(StringComparer.Ordinal), .. DeliveryEndpoints.Select(QueueNames.ForDelivery)];

    public int DeliveryParallelism(string endpointId) =>
        Config.FindEndpoint(endpointId)?.Parallelism ?? Config.Router.Defaults.DeliveryParallelism;

    public async ValueTask DisposeAsync()
    {
        foreach (var resilience in Resilience.Values)
        {
            resilience.Dispose();
        }
        foreach (var resource in OwnedResources)
        {
            resource.Dispose();
        }
        await Leases.DisposeAsync().ConfigureAwait(false);
        await Transport.DisposeAsync().ConfigureAwait(false);
        await State.DisposeAsync().ConfigureAwait(false);
    }
}
