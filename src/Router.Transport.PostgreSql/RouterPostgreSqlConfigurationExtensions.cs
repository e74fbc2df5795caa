using Rebus.Config;
using Rebus.PostgreSql.Transport;
using Rebus.Transport;

namespace Router.Transport.PostgreSql;

public static class RouterPostgreSqlConfigurationExtensions
{
    /// <summary>
    /// Rebus.PostgreSql's transport receiving from <paramref name="inputQueueName"/>, wrapped in <see cref="RouterPostgreSqlTransport"/>.
    /// Create the table first (<see cref="PostgreSqlQueueTable.EnsureCreatedAsync"/>): Rebus.PostgreSql then finds it and creates nothing.
    /// </summary>
    public static void UseRouterPostgreSql(this StandardConfigurer<ITransport> configurer, PostgreSqlTransportOptions options, string inputQueueName)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputQueueName);
        Configure(configurer, options, inputQueueName);
    }

    public static void UseRouterPostgreSqlAsOneWayClient(this StandardConfigurer<ITransport> configurer, PostgreSqlTransportOptions options)
    {
        Configure(configurer, options, null);
        OneWayClientBackdoor.ConfigureOneWayClient(configurer);
    }

    private static void Configure(StandardConfigurer<ITransport> configurer, PostgreSqlTransportOptions options, string? inputQueueName)
    {
        ArgumentNullException.ThrowIfNull(configurer);
        ArgumentNullException.ThrowIfNull(options);
        var provider = new SharedTransactionConnectionProvider(options.DataSource);
        // Rebus.PostgreSql's own registration also brings its native deferral (a disabled timeout manager, no
        // deferred-messages step); the decorator is what the bus then talks to.
        configurer.UsePostgreSql(provider, options.Table, inputQueueName, options.ExpiredMessagesCleanupInterval, options.Schema);
        configurer.Decorate(c => new RouterPostgreSqlTransport((PostgreSqlTransport)c.Get<ITransport>(), options));
    }

    /// <summary>The transport outside a bus (contract tests, tools): initialized, not yet receiving anything.</summary>
    public static RouterPostgreSqlTransport Create(PostgreSqlTransportOptions options, string? inputQueueName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inner = new PostgreSqlTransport(new SharedTransactionConnectionProvider(options.DataSource), options.Table, inputQueueName,
            new Rebus.Logging.NullLoggerFactory(), new Rebus.Threading.TaskParallelLibrary.TplAsyncTaskFactory(new Rebus.Logging.NullLoggerFactory()),
            new Rebus.Time.DefaultRebusTime(), options.ExpiredMessagesCleanupInterval, options.Schema);
        var transport = new RouterPostgreSqlTransport(inner, options);
        transport.Initialize();
        return transport;
    }
}
