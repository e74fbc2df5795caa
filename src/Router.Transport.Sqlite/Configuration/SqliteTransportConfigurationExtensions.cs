using Rebus.Config;
using Rebus.Logging;
using Rebus.Pipeline;
using Rebus.Pipeline.Receive;
using Rebus.Timeouts;
using Rebus.Transport;
using Rebus.Workers.ThreadPoolBased;
using Router.Transport.Common.Signals;
using Router.Transport.Sqlite.Database;
using Router.Transport.Common.Deferral;

namespace Router.Transport.Sqlite;

/// <summary>
/// <c>Configure.With(activator).Transport(t => t.UseSqlite(database, "queue"))</c>. Besides the transport this
/// registers its <see cref="ITransportInspector"/> and <see cref="SignalledBackoffStrategy"/>, and replaces Rebus's
/// timeout manager by native deferral: deferred messages are stored in their recipient's queue, invisible until due.
/// </summary>
/// <remarks>
/// Because of those registrations a bus on this transport must not also configure <c>.Timeouts(...)</c> or
/// <c>.Options(o => o.SetBackoffTimes(...))</c>: Rebus refuses a second primary registration, which is the point.
/// </remarks>
public static class SqliteTransportConfigurationExtensions
{
    /// <summary>A bus that receives from <paramref name="inputQueueName"/> and sends to any queue of <paramref name="database"/>.</summary>
    public static SqliteTransportOptions UseSqlite(this StandardConfigurer<ITransport> configurer, SqliteDatabase database, string inputQueueName)
    {
        ArgumentNullException.ThrowIfNull(configurer);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputQueueName);
        var options = RegisterTransport(configurer, database, inputQueueName);
        configurer.OtherService<IBackoffStrategy>().Register(c => new SignalledBackoffStrategy(c.Get<SqliteTransport>()),
            "waits for the SQLite transport's signals instead of sleeping");
        return options;
    }

    /// <summary>
    /// A bus that only sends (no input queue, no workers). Its sends are fsynced before they complete. It can defer
    /// messages that are routed (or carry <c>rbs2-defer-recipient</c>), without a timeout manager.
    /// </summary>
    public static SqliteTransportOptions UseSqliteAsOneWayClient(this StandardConfigurer<ITransport> configurer, SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(configurer);
        ArgumentNullException.ThrowIfNull(database);
        var options = RegisterTransport(configurer, database, inputQueueName: null);
        OneWayClientBackdoor.ConfigureOneWayClient(configurer);
        // Rebus refuses to defer from a bus without an input queue unless it knows a timeout manager's address.
        configurer.OtherService<Rebus.Config.Options>().Decorate(c =>
        {
            var rebusOptions = c.Get<Rebus.Config.Options>();
            if (string.IsNullOrWhiteSpace(rebusOptions.ExternalTimeoutManagerAddressOrNull))
            {
                rebusOptions.ExternalTimeoutManagerAddressOrNull = NativeDeferral.TimeoutManagerAddress;
            }
            return rebusOptions;
        });
        return options;
    }

    private static SqliteTransportOptions RegisterTransport(StandardConfigurer<ITransport> configurer, SqliteDatabase database, string? inputQueueName)
    {
        var options = new SqliteTransportOptions();
        configurer.OtherService<SqliteTransport>().Register(c =>
            new SqliteTransport(database, inputQueueName, options, c.Get<IRebusLoggerFactory>()));
        configurer.Register(c => c.Get<SqliteTransport>());
        configurer.OtherService<ITransportInspector>().Register(c => c.Get<SqliteTransport>());
        configurer.OtherService<ITimeoutManager>().Register(_ => new NativeDeferralTimeoutManager("SQLite"),
            "deferral is native in the SQLite transport: no timeout manager is used");
        configurer.OtherService<IPipeline>().Decorate(c =>
            new PipelineStepRemover(c.Get<IPipeline>()).RemoveIncomingStep(step => step is HandleDeferredMessagesStep));
        return options;
    }
}
