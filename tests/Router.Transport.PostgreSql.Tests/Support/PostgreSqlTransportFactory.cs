using Npgsql;
using Rebus.Config;
using Rebus.Transport;
using Router.Transport.Contracts;

namespace Router.Transport.PostgreSql.Tests;

/// <summary>Rebus.PostgreSql's transport as the router wraps it, under the contract suite: a pool of its own per test.</summary>
public sealed class PostgreSqlTransportFactory : ITransportContractFactory
{
    private readonly List<RouterPostgreSqlTransport> transports = [];

    public PostgreSqlTransportFactory()
    {
        Options = new PostgreSqlTransportOptions
        {
            DataSource = NpgsqlDataSource.Create(PostgreSqlTestServer.Schema.ConnectionString),
            Schema = PostgreSqlTestServer.Schema.Name,
            Table = PostgreSqlTestServer.Table,
        };
    }

    public PostgreSqlTransportOptions Options { get; }

    /// <summary>Rebus.PostgreSql makes a deferred message invisible until due; the wrapper routes it to its recipient.</summary>
    public bool SupportsNativeDeferral => true;

    /// <summary>Its table has no column to count deliveries in; Rebus's in-memory error tracker counts failures per process.</summary>
    public bool SupportsDeliveryCount => false;

    public ITransport Create(string inputQueueAddress) => Track(RouterPostgreSqlConfigurationExtensions.Create(Options, inputQueueAddress));

    public ITransport CreateOneWayClient() => Track(RouterPostgreSqlConfigurationExtensions.Create(Options, null));

    public void UseTransport(StandardConfigurer<ITransport> configurer, string inputQueueAddress) =>
        configurer.UseRouterPostgreSql(Options, inputQueueAddress);

    public void UseOneWayClient(StandardConfigurer<ITransport> configurer) => configurer.UseRouterPostgreSqlAsOneWayClient(Options);

    public async Task CleanUpAsync()
    {
        foreach (var transport in transports)
        {
            transport.Dispose();
        }
        await Options.DataSource.DisposeAsync();
    }

    private RouterPostgreSqlTransport Track(RouterPostgreSqlTransport transport)
    {
        transports.Add(transport);
        return transport;
    }
}
