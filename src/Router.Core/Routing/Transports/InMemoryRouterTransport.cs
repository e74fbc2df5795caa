using Rebus.Config;
using Rebus.Persistence.InMem;
using Rebus.Transport;
using Rebus.Transport.InMem;
using Router.Core.Stores;

namespace Router.Core.Routing.Transports;

/// <summary>
/// Rebus's in-memory transport, for fast tests of routes and stages. Nothing survives the process: never for
/// production. State is committed right after the transport's sends (the transport has no transaction to share).
/// </summary>
public sealed class InMemoryRouterTransport(IRouterState state) : IRouterTransport
{
    private readonly InMemNetwork network = new();

    public string Name => "in-memory";

    public void ConfigureReceiver(StandardConfigurer<ITransport> configurer, string queueName, int parallelism) =>
        configurer.UseInMemoryTransport(network, queueName, registerSubscriptionStorage: false);

    public void ConfigureOneWayClient(StandardConfigurer<ITransport> configurer) =>
        configurer.UseInMemoryTransportAsOneWayClient(network, registerSubscriptionStorage: false);

    /// <summary>No native deferral here: Rebus's in-memory timeout manager holds deferred redeliveries.</summary>
    public void ConfigureBus(RebusConfigurer configurer) => configurer.Timeouts(t => t.StoreInMemory());

    public void EnlistState(ITransactionContext context, StateChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }
        // Registered after the handler's sends, so it runs after them: a crash in between repeats the message, whose
        // duplicates the next stage's inbox absorbs; it never loses one.
        context.OnCommit(_ => state.Writer.CommitAsync(changes, CancellationToken.None));
    }

    public Task<QueueBacklog> GetBacklogAsync(IReadOnlyCollection<string> queueNames, CancellationToken cancellationToken) =>
        Task.FromResult(new QueueBacklog(queueNames.Sum(q => (long)network.GetCount(q)), 0, 0));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
