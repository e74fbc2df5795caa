using Rebus.Config;
using Rebus.Logging;
using Rebus.Pipeline;
using Rebus.Pipeline.Receive;
using Rebus.Subscriptions;
using Rebus.Timeouts;
using Rebus.Transport;
using Rebus.Workers.ThreadPoolBased;
using Router.Transport.Common.Signals;
using Router.Transport.Common.Deferral;

namespace Router.Transport.RabbitMq;

/// <summary>
/// <c>Configure.With(activator).Transport(t => t.UseRabbitMq(connectionString, "queue").Prefetch(100).QuorumQueues())</c>.
/// Besides the transport this registers its <see cref="ITransportInspector"/>, its <see cref="ISubscriptionStorage"/>
/// (unless <c>registerSubscriptionStorage: false</c>, e.g. to keep Rebus.PostgreSql's) and
/// <see cref="SignalledBackoffStrategy"/>, and replaces Rebus's timeout manager by native deferral through delay queues.
/// </summary>
/// <remarks>
/// Because of those registrations a bus on this transport must not also configure <c>.Timeouts(...)</c> or
/// <c>.Options(o => o.SetBackoffTimes(...))</c>: Rebus refuses a second primary registration, which is the point.
/// </remarks>
public static class RabbitMqTransportConfigurationExtensions
{
    /// <summary>A bus that receives from <paramref name="inputQueueName"/> and sends anywhere on the broker.</summary>
    public static RabbitMqTransportOptions UseRabbitMq(this StandardConfigurer<ITransport> configurer, string connectionString, string inputQueueName,
        bool registerSubscriptionStorage = true)
    {
        ArgumentNullException.ThrowIfNull(configurer);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputQueueName);
        var options = RegisterTransport(configurer, connectionString, inputQueueName, registerSubscriptionStorage);
        configurer.OtherService<IBackoffStrategy>().Register(c => new SignalledBackoffStrategy(c.Get<RabbitMqTransport>()),
            "waits for the RabbitMQ consumer's deliveries instead of sleeping");
        return options;
    }

    /// <summary>A bus that only sends (no input queue, no workers); it can defer routed messages without a timeout manager.</summary>
    public static RabbitMqTransportOptions UseRabbitMqAsOneWayClient(this StandardConfigurer<ITransport> configurer, string connectionString,
        bool registerSubscriptionStorage = true)
    {
        ArgumentNullException.ThrowIfNull(configurer);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = RegisterTransport(configurer, connectionString, inputQueueName: null, registerSubscriptionStorage);
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

    private static RabbitMqTransportOptions RegisterTransport(StandardConfigurer<ITransport> configurer, string connectionString, string? inputQueueName,
        bool registerSubscriptionStorage)
    {
        var options = new RabbitMqTransportOptions();
        configurer.OtherService<RabbitMqTransport>().Register(c =>
            new RabbitMqTransport(connectionString, inputQueueName, options, c.Get<IRebusLoggerFactory>()));
        configurer.Register(c => c.Get<RabbitMqTransport>());
        configurer.OtherService<ITransportInspector>().Register(c => c.Get<RabbitMqTransport>());
        if (registerSubscriptionStorage)
        {
            configurer.OtherService<ISubscriptionStorage>().Register(c => c.Get<RabbitMqTransport>(),
                "subscriptions are bindings of the input queue to the topic exchange");
        }
        configurer.OtherService<ITimeoutManager>().Register(_ => new NativeDeferralTimeoutManager("RabbitMQ"),
            "deferral is native in the RabbitMQ transport (delay queues): no timeout manager is used");
        configurer.OtherService<IPipeline>().Decorate(c =>
            new PipelineStepRemover(c.Get<IPipeline>()).RemoveIncomingStep(step => step is HandleDeferredMessagesStep));
        return options;
    }
}
