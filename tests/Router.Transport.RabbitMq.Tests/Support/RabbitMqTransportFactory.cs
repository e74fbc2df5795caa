using Rebus.Config;
using Rebus.Transport;
using Router.Testing;
using Router.Transport.Contracts;
using Router.Transport.RabbitMq.Inspection;

namespace Router.Transport.RabbitMq.Tests.Support;

/// <summary>
/// The RabbitMQ transport under the contract suite, on the test broker: every queue a test names is deleted afterwards.
/// Holds the broker shared for its lifetime (see <see cref="RabbitMqBroker"/>), unless made for a test that disturbs it.
/// </summary>
public abstract class RabbitMqTransportFactory : ITransportContractFactory
{
    private readonly List<RabbitMqTransport> transports = [];
    private readonly HashSet<string> queues = new(StringComparer.Ordinal);
    private readonly IDisposable brokerLock;

    protected RabbitMqTransportFactory(bool quorum, bool disturbsBroker = false)
    {
        Quorum = quorum;
        Url = RabbitMqBroker.Url;
        brokerLock = (disturbsBroker ? RabbitMqBroker.DisturbAsync() : RabbitMqBroker.ShareAsync()).GetAwaiter().GetResult();
    }

    public string Url { get; }

    public bool Quorum { get; }

    /// <summary>Shared by every transport of this factory, so an inspecting transport sees what receivers hold.</summary>
    public InFlightCounts InFlight { get; } = new();

    public bool SupportsNativeDeferral => true;

    public bool SupportsDeliveryCount => Quorum;

    /// <summary>Adjusts the options of every transport this factory makes from now on.</summary>
    public Action<RabbitMqTransportOptions>? Configure { get; set; }

    public ITransport Create(string inputQueueAddress) => CreateTransport(inputQueueAddress);

    public ITransport CreateOneWayClient() => CreateTransport(null);

    public RabbitMqTransport CreateTransport(string? inputQueueAddress, Action<RabbitMqTransportOptions>? configure = null)
    {
        if (inputQueueAddress is not null)
        {
            queues.Add(inputQueueAddress);
        }
        var transport = new RabbitMqTransport(Url, inputQueueAddress, Options(configure));
        transports.Add(transport);
        transport.Initialize();
        return transport;
    }

    public void UseTransport(StandardConfigurer<ITransport> configurer, string inputQueueAddress)
    {
        queues.Add(inputQueueAddress);
        Apply(configurer.UseRabbitMq(Url, inputQueueAddress), null);
    }

    public void UseOneWayClient(StandardConfigurer<ITransport> configurer) => Apply(configurer.UseRabbitMqAsOneWayClient(Url), null);

    /// <summary>Deletes <paramref name="queue"/> at clean-up too (queues a test declares itself).</summary>
    public void Track(string queue) => queues.Add(queue);

    public async Task CleanUpAsync()
    {
        foreach (var transport in transports)
        {
            transport.Dispose();
        }
        try
        {
            if (queues.Count > 0)
            {
                var janitor = new RabbitMqTransport(Url, null, Options(null));
                foreach (var queue in queues)
                {
                    await janitor.DeleteQueueAsync(queue, CancellationToken.None);
                }
                janitor.Dispose();
            }
        }
        finally
        {
            brokerLock.Dispose();
        }
    }

    private RabbitMqTransportOptions Options(Action<RabbitMqTransportOptions>? configure) =>
        Apply(new RabbitMqTransportOptions(), configure);

    private RabbitMqTransportOptions Apply(RabbitMqTransportOptions options, Action<RabbitMqTransportOptions>? configure)
    {
        options.QuorumQueues(Quorum).ConnectionName("router-tests").ReconnectDelay(TimeSpan.FromMilliseconds(200)).CountInFlightIn(InFlight);
        Configure?.Invoke(options);
        configure?.Invoke(options);
        return options;
    }
}

/// <summary>Quorum queues: the production setting (delivery counts, replication).</summary>
public sealed class QuorumQueueFactory() : RabbitMqTransportFactory(quorum: true);

/// <summary>Classic durable queues: no delivery count.</summary>
public sealed class ClassicQueueFactory() : RabbitMqTransportFactory(quorum: false);
