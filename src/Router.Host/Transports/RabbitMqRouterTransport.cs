using Rebus.Config;
using Rebus.Transport;
using Router.Core.Config.Model;
using Router.Core.Config.Nodes;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Transport.RabbitMq;
using Router.Transport.RabbitMq.Connections;
using Router.Transport.RabbitMq.Inspection;

namespace Router.Host.Transports;

/// <summary>
/// Messages on RabbitMQ (our Rebus transport), the router's state in its own store (SQLite for now). The two no
/// longer commit atomically: a handled message's sends are published and confirmed by the broker first, then its
/// state (inbox entry, journal, dead letters) is committed, and only then is the message acknowledged. A crash
/// between those steps delivers the message again; the inbox recognises it (same id, same payload) and the sends it
/// repeats are duplicates the next stage's inbox absorbs. Nothing is lost; repeats are skipped, not redone.
/// </summary>
public sealed class RabbitMqRouterTransport : IRouterTransport
{
    private readonly string connectionString;
    private readonly IRouterState state;
    private readonly RabbitMqSettings settings;
    private readonly InFlightCounts inFlight = new();
    private readonly RabbitMqTransport inspector;

    private RabbitMqRouterTransport(string connectionString, IRouterState state, RabbitMqSettings settings)
    {
        this.connectionString = connectionString;
        this.state = state;
        this.settings = settings;
        inspector = new RabbitMqTransport(connectionString, inputQueueName: null, Apply(new RabbitMqTransportOptions(), 1));
    }

    /// <summary>Connects and declares every queue of the configuration, so hand-offs and <c>router send</c> never meet a missing one.</summary>
    public static async Task<RabbitMqRouterTransport> CreateAsync(TransportSettings transport, IRouterState state, IEnumerable<string> queues,
        CancellationToken cancellationToken)
    {
        var connection = transport.Connection ?? throw new InvalidOperationException("transport kind 'rabbitmq' needs 'connection'");
        var router = new RabbitMqRouterTransport(connection, state, RabbitMqSettings.Read(transport.Options));
        try
        {
            router.inspector.Initialize();
            foreach (var queue in queues)
            {
                await router.inspector.DeclareQueueAsync(queue, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await router.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return router;
    }

    public string Name => $"RabbitMQ ({AmqpConnectionString.MaskText(connectionString)}, {(settings.Quorum ? "quorum" : "classic")} queues; state committed after the broker confirmed the sends)";

    public void ConfigureReceiver(StandardConfigurer<ITransport> configurer, string queueName, int parallelism) =>
        Apply(configurer.UseRabbitMq(connectionString, queueName, registerSubscriptionStorage: false), parallelism);

    public void ConfigureOneWayClient(StandardConfigurer<ITransport> configurer) =>
        Apply(configurer.UseRabbitMqAsOneWayClient(connectionString, registerSubscriptionStorage: false), 1);

    /// <summary>Deferral is native in the RabbitMQ transport (delay queues); nothing to add.</summary>
    public void ConfigureBus(RebusConfigurer configurer)
    {
    }

    public void EnlistState(ITransactionContext context, StateChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }
        // The stages enlist after their sends, so this runs after the transport's commit callback: the state is
        // written once the broker confirmed every send, and the message is acknowledged only after both.
        context.OnCommit(_ => state.Writer.CommitAsync(changes, CancellationToken.None));
    }

    /// <summary>
    /// Ready messages as the broker counts them, plus those this process's receivers hold unacknowledged. Messages
    /// waiting in delay queues are not attributed to a queue (deferred: 0), as with not-yet-due SQLite rows for draining.
    /// </summary>
    public async Task<QueueBacklog> GetBacklogAsync(IReadOnlyCollection<string> queueNames, CancellationToken cancellationToken)
    {
        long ready = 0;
        long held = 0;
        foreach (var queue in queueNames)
        {
            ready += await inspector.GetReadyCountAsync(queue, cancellationToken).ConfigureAwait(false) ?? 0;
            held += inFlight.Of(queue);
        }
        return new QueueBacklog(ready, held, 0);
    }

    public ValueTask DisposeAsync()
    {
        inspector.Dispose();
        return ValueTask.CompletedTask;
    }

    private RabbitMqTransportOptions Apply(RabbitMqTransportOptions options, int parallelism) =>
        options
            .QuorumQueues(settings.Quorum)
            .Prefetch(settings.Prefetch ?? Math.Max(20, parallelism * 4))
            .ConfirmTimeout(settings.ConfirmTimeout)
            .ConnectionName("router")
            .CountInFlightIn(inFlight);

    /// <summary><c>router.transport</c>'s RabbitMQ keys.</summary>
    private sealed record RabbitMqSettings(bool Quorum, int? Prefetch, TimeSpan ConfirmTimeout)
    {
        public static RabbitMqSettings Read(ConfigMapping? options) => options is null
            ? new RabbitMqSettings(true, null, TimeSpan.FromSeconds(30))
            : new RabbitMqSettings(
                options.GetString("queues", "quorum") == "quorum",
                options["prefetch"] is null ? null : options.GetInt("prefetch", 0),
                options.GetDuration("confirmTimeout", TimeSpan.FromSeconds(30)));
    }
}
