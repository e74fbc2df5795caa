using Router.Transport.Contracts;
using Router.Transport.RabbitMq.Tests.Support;

namespace Router.Transport.RabbitMq.Tests.Contracts;

// Every contract on quorum queues (the production setting); the ones where queue types behave differently on classic queues too.

[TestFixture]
public sealed class QuorumSendReceive : SendReceiveContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumRedelivery : RedeliveryContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumConcurrentReceive : ConcurrentReceiveContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumDeferral : DeferralContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumExpiry : ExpiryContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumInspection : InspectionContract<QuorumQueueFactory>;

[TestFixture]
public sealed class QuorumBus : BusContract<QuorumQueueFactory>;

[TestFixture]
public sealed class ClassicSendReceive : SendReceiveContract<ClassicQueueFactory>;

[TestFixture]
public sealed class ClassicRedelivery : RedeliveryContract<ClassicQueueFactory>;

[TestFixture]
public sealed class ClassicDeferral : DeferralContract<ClassicQueueFactory>;

[TestFixture]
public sealed class ClassicExpiry : ExpiryContract<ClassicQueueFactory>;

[TestFixture]
public sealed class ClassicBus : BusContract<ClassicQueueFactory>;
