namespace Router.Transport.RabbitMq.Tests.Support;

/// <summary>For tests that restart or alarm the broker: holds it exclusively, so no other test project uses it meanwhile.</summary>
public sealed class DisturbingQuorumFactory() : RabbitMqTransportFactory(quorum: true, disturbsBroker: true);
