using Router.Transport.Contracts;

namespace Router.Transport.PostgreSql.Tests.Contracts;

[TestFixture]
public sealed class PostgreSqlSendReceive : SendReceiveContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlRedelivery : RedeliveryContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlConcurrentReceive : ConcurrentReceiveContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlDeferral : DeferralContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlExpiry : ExpiryContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlInspection : InspectionContract<PostgreSqlTransportFactory>;

[TestFixture]
public sealed class PostgreSqlBus : BusContract<PostgreSqlTransportFactory>;
