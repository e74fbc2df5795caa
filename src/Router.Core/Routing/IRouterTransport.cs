using Rebus.Config;
using Rebus.Transport;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>What the engine needs to know about the queues between routes and legs.</summary>
public sealed record QueueBacklog(long Ready, long InFlight, long Deferred)
{
    public bool IsDrained => Ready == 0 && InFlight == 0;
}

/// <summary>
/// The engine's view of a Rebus transport: how to configure a receiving bus and a one-way client on it, how the
/// router's state rides on its transactions, and how full its queues are. One implementation per transport kind
/// (SQLite shares its transaction with the state; RabbitMQ and the in-memory one commit state right after sending).
/// </summary>
public interface IRouterTransport : IAsyncDisposable
{
    string Name { get; }

    void ConfigureReceiver(StandardConfigurer<ITransport> configurer, string queueName, int parallelism);

    void ConfigureOneWayClient(StandardConfigurer<ITransport> configurer);

    /// <summary>Extra per-bus configuration the transport needs (timeouts for transports without native deferral…).</summary>
    void ConfigureBus(RebusConfigurer configurer);

    /// <summary>
    /// Arranges for <paramref name="changes"/> to be committed with the transaction of <paramref name="context"/>:
    /// atomically where the transport can, otherwise after its sends and before the acknowledgement.
    /// </summary>
    void EnlistState(ITransactionContext context, StateChanges changes);

    Task<QueueBacklog> GetBacklogAsync(IReadOnlyCollection<string> queueNames, CancellationToken cancellationToken);
}
