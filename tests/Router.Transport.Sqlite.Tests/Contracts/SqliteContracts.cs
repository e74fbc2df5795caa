using Router.Transport.Contracts;
using Router.Transport.Sqlite.Tests.Support;

namespace Router.Transport.Sqlite.Tests.Contracts;

[TestFixture]
public sealed class SqliteSendReceive : SendReceiveContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteRedelivery : RedeliveryContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteConcurrentReceive : ConcurrentReceiveContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteDeferral : DeferralContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteExpiry : ExpiryContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteInspection : InspectionContract<SqliteTransportFactory>;

[TestFixture]
public sealed class SqliteBus : BusContract<SqliteTransportFactory>;
