using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Retry.Simple;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;

namespace Router.Transport.RabbitMq.Tests.Receiving;

/// <summary>
/// On quorum queues the broker counts deliveries (<c>x-delivery-count</c>), and the transport hands the count to Rebus
/// as <c>rbs2-delivery-count</c>: a retry limit then holds across hosts, whose in-memory error trackers know only
/// their own attempts.
/// </summary>
[TestFixture]
public sealed class DeliveryCountTests
{
    [Test]
    public async Task The_retry_limit_holds_across_two_hosts_competing_for_a_failing_message()
    {
        const int maxDeliveryAttempts = 4;
        var factory = new QuorumQueueFactory();
        try
        {
            var queue = NewQueueName("poison");
            var errorQueue = NewQueueName("poison-error");
            var attempts = 0;
            var counts = new System.Collections.Concurrent.ConcurrentBag<string>();
            IBus StartHost(BuiltinHandlerActivator activator)
            {
                activator.Handle<PoisonMessage>((_, context, _) =>
                {
                    counts.Add(context.Headers.GetValueOrDefault(Headers.DeliveryCount) ?? "none");
                    Interlocked.Increment(ref attempts);
                    throw new InvalidOperationException("always fails");
                });
                return Configure.With(activator)
                    .Logging(l => l.None())
                    .Transport(t => factory.UseTransport(t, queue))
                    .Options(o =>
                    {
                        o.SetNumberOfWorkers(1);
                        o.SetMaxParallelism(1);
                        o.RetryStrategy(errorQueue, maxDeliveryAttempts);
                    })
                    .Start();
            }
            using var firstActivator = new BuiltinHandlerActivator();
            using var secondActivator = new BuiltinHandlerActivator();
            using var first = StartHost(firstActivator);
            using var second = StartHost(secondActivator);
            var errors = factory.CreateTransport(errorQueue);

            await first.SendLocal(new PoisonMessage("doomed"));
            var deadLetter = await ReceiveWithinAsync(errors, Generous);

            Assert.That(deadLetter, Is.Not.Null, "the message reaches the error queue");
            Assert.That(Volatile.Read(ref attempts), Is.EqualTo(maxDeliveryAttempts),
                $"delivery counts seen by the handlers: {string.Join(", ", counts.OrderBy(c => c))}");
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }
}

public sealed record PoisonMessage(string Text);
