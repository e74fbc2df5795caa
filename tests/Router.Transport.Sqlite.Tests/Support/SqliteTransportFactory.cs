using Rebus.Config;
using Rebus.Transport;
using Router.Transport.Contracts;
using Router.Transport.Sqlite.Database;

namespace Router.Transport.Sqlite.Tests.Support;

/// <summary>The SQLite transport under the contract suite: one fresh database file per test.</summary>
public sealed class SqliteTransportFactory : ITransportContractFactory
{
    /// <summary>Short, so a crashed receiver's message comes back within the test; renewal keeps live ones.</summary>
    public static readonly TimeSpan TestLease = TimeSpan.FromSeconds(2);

    private readonly TestDatabaseFile file = new();
    private readonly List<SqliteTransport> transports = [];

    public SqliteDatabase Database => file.Database;

    public bool SupportsNativeDeferral => true;

    public bool SupportsDeliveryCount => true;

    public ITransport Create(string inputQueueAddress) => Track(new SqliteTransport(Database, inputQueueAddress, Options()));

    public ITransport CreateOneWayClient() => Track(new SqliteTransport(Database, inputQueueName: null, Options()));

    public void UseTransport(StandardConfigurer<ITransport> configurer, string inputQueueAddress) =>
        configurer.UseSqlite(Database, inputQueueAddress).Lease(TestLease);

    public void UseOneWayClient(StandardConfigurer<ITransport> configurer) => configurer.UseSqliteAsOneWayClient(Database);

    public async Task CleanUpAsync()
    {
        foreach (var transport in transports)
        {
            transport.Dispose();
        }
        await file.DisposeAsync();
    }

    private static SqliteTransportOptions Options() => new SqliteTransportOptions().Lease(TestLease);

    private SqliteTransport Track(SqliteTransport transport)
    {
        transport.Initialize();
        transports.Add(transport);
        return transport;
    }
}
