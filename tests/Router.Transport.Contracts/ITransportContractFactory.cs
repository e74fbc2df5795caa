using Rebus.Config;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>
/// What the contract fixtures need from a transport under test. One factory serves one test: it tracks what it
/// created and <see cref="CleanUpAsync"/> disposes it and removes the test's queues.
/// </summary>
public interface ITransportContractFactory
{
    /// <summary>A transport receiving from <paramref name="inputQueueAddress"/>, initialized and ready.</summary>
    ITransport Create(string inputQueueAddress);

    /// <summary>A send-only transport, initialized and ready.</summary>
    ITransport CreateOneWayClient();

    /// <summary>Configures a real bus on the transport (Rebus's <c>.Transport(t => ...)</c>).</summary>
    void UseTransport(StandardConfigurer<ITransport> configurer, string inputQueueAddress);

    /// <summary>Configures a real one-way client bus on the transport.</summary>
    void UseOneWayClient(StandardConfigurer<ITransport> configurer);

    /// <summary>Messages with <c>rbs2-deferred-until</c> are held by the transport itself until due.</summary>
    bool SupportsNativeDeferral { get; }

    /// <summary>Received messages carry <c>rbs2-delivery-count</c>.</summary>
    bool SupportsDeliveryCount { get; }

    /// <summary>Disposes what the factory created and deletes the test's queues or files.</summary>
    Task CleanUpAsync();
}
