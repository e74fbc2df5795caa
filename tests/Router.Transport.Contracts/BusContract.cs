using System.Collections.Concurrent;
using System.Globalization;
using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Retry.Simple;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>A real Rebus bus on the transport: exactly-once handling of a one-way client's sends, and the error queue.</summary>
public abstract class BusContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    private const int MessageCount = 300;
    private const int Senders = 4;

    [SetUp]
    public void ForgetInspectors() => inspectors.Clear();

    [Test]
    public async Task A_bus_handles_each_message_from_a_one_way_client_exactly_once()
    {
        var queue = NewQueueName("bus");
        var handled = new ConcurrentDictionary<string, int>();
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<ContractMessage>(message =>
        {
            CountDelivery(handled, message.Id);
            return Task.CompletedTask;
        });
        using var bus = StartBus(activator, queue);
        using var client = StartOneWayClient();

        var ids = Enumerable.Range(0, MessageCount).Select(i => $"message-{i}").ToList();
        await Task.WhenAll(ids.Chunk(MessageCount / Senders).Select(chunk => Task.Run(async () =>
        {
            foreach (var id in chunk)
            {
                await client.Advanced.Routing.Send(queue, new ContractMessage(id));
            }
        })));
        var allHandled = await EventuallyAsync(() => handled.Count == MessageCount, Generous);
        var drained = await EventuallyAsync(async () => await QueueLengthAsync(queue) == 0, Generous);

        Assert.That(allHandled, Is.True, $"handled {handled.Count} of {MessageCount}");
        Assert.That(drained, Is.True, "the queue must be empty once everything was handled");
        Assert.That(handled.Keys, Is.EquivalentTo(ids));
        Assert.That(handled.Where(h => h.Value != 1).Select(h => $"{h.Key} x{h.Value}"), Is.Empty);
    }

    [Test]
    public async Task A_failing_handlers_message_lands_in_the_error_queue_after_max_delivery_attempts()
    {
        const int maxDeliveryAttempts = 3;
        var queue = NewQueueName("failing");
        var errorQueue = NewQueueName("error");
        var attempts = 0;
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<ContractMessage>(_ =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the handler always fails");
        });
        using var bus = StartBus(activator, queue, options => options.RetryStrategy(errorQueue, maxDeliveryAttempts));
        var errors = Factory.Create(errorQueue);

        await bus.SendLocal(new ContractMessage("doomed"));
        var deadLetter = await ReceiveWithinAsync(errors, Generous);
        var drained = await EventuallyAsync(async () => await QueueLengthAsync(queue) == 0, Generous);

        Assert.That(deadLetter, Is.Not.Null, "the message must reach the error queue");
        Assert.That(deadLetter!.Headers[Headers.SourceQueue], Is.EqualTo(queue));
        Assert.That(deadLetter.Headers[Headers.ErrorDetails], Does.Contain("the handler always fails"));
        Assert.That(Volatile.Read(ref attempts), Is.EqualTo(maxDeliveryAttempts));
        Assert.That(drained, Is.True, "the failed message must leave its queue");
    }

    protected IBus StartBus(BuiltinHandlerActivator activator, string queue, Action<OptionsConfigurer>? options = null) =>
        Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => Factory.UseTransport(t, queue))
            .Options(o =>
            {
                o.SetNumberOfWorkers(1);
                o.SetMaxParallelism(5);
                options?.Invoke(o);
            })
            .Start();

    protected IBus StartOneWayClient() =>
        Configure.OneWayClient()
            .Logging(l => l.None())
            .Transport(Factory.UseOneWayClient)
            .Start();

    private readonly Dictionary<string, ITransportInspector> inspectors = [];

    /// <summary>Looks at a queue through a transport of its own that never receives.</summary>
    protected async Task<long> QueueLengthAsync(string queue)
    {
        if (!inspectors.TryGetValue(queue, out var inspector))
        {
            inspectors[queue] = inspector = (ITransportInspector)Factory.Create(queue);
        }
        var properties = await inspector.GetProperties(CancellationToken.None);
        return Convert.ToInt64(properties[TransportInspectorPropertyKeys.QueueLength], CultureInfo.InvariantCulture);
    }
}

/// <summary>The message type of the bus contract tests.</summary>
public sealed record ContractMessage(string Id);
