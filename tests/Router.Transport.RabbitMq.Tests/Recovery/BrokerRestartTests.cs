using System.Collections.Concurrent;
using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Retry.Simple;
using Rebus.Transport;
using Router.Testing;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;

namespace Router.Transport.RabbitMq.Tests.Recovery;

/// <summary>
/// The broker goes away mid-flow and comes back: nothing is lost (every message reaches the end of the pipeline),
/// the consumer reconnects by itself, and a delivery taken before the loss is never acknowledged on the new channel.
/// </summary>
[TestFixture]
public sealed class BrokerRestartTests
{
    private const int MessageCount = 400;

    [Test]
    public async Task Messages_in_flight_when_the_broker_restarts_all_arrive()
    {
        var factory = new DisturbingQuorumFactory();
        try
        {
            var input = NewQueueName("restart-input");
            var output = NewQueueName("restart-output");
            var outputReceiver = factory.CreateTransport(output);
            var handled = 0;
            using var activator = new BuiltinHandlerActivator();
            // Forwards each message: its receive, its send and the confirm of that send all cross the restart.
            activator.Handle<RestartMessage>(async (bus, message) =>
            {
                await Task.Delay(10);
                await bus.Advanced.Routing.Send(output, message);
                Interlocked.Increment(ref handled);
            });
            using var bus = Configure.With(activator)
                .Logging(l => l.None())
                .Transport(t => factory.UseTransport(t, input))
                .Options(o =>
                {
                    o.SetNumberOfWorkers(1);
                    o.SetMaxParallelism(4);
                    // Every failure during the outage is retried, not dead-lettered: this test is about losing nothing.
                    o.RetryStrategy(errorQueueName: NewQueueName("restart-error"), maxDeliveryAttempts: 1000);
                })
                .Start();
            using var client = Configure.OneWayClient().Logging(l => l.None()).Transport(factory.UseOneWayClient).Start();

            var ids = Enumerable.Range(0, MessageCount).Select(i => $"m{i}").ToList();
            var sending = Task.Run(async () =>
            {
                foreach (var id in ids)
                {
                    await SendUntilAcceptedAsync(client, input, id);
                    // Spread over seconds, so the restart lands in the middle of sending as well as of handling.
                    await Task.Delay(10);
                }
            });
            await EventuallyAsync(() => Volatile.Read(ref handled) >= MessageCount / 10, Generous);
            await RabbitMqBroker.CtlAsync("stop_app");
            var handledWhenStopped = Volatile.Read(ref handled);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await RabbitMqBroker.CtlAsync("start_app");
            await RabbitMqBroker.CtlAsync("await_startup");
            await sending;

            var arrived = new ConcurrentDictionary<string, int>();
            var deadline = DateTimeOffset.UtcNow + Generous + Generous;
            while (arrived.Count < MessageCount && DateTimeOffset.UtcNow < deadline)
            {
                if (await ReceiveWithinAsync(outputReceiver, TimeSpan.FromSeconds(1)) is { } message)
                {
                    Count(arrived, System.Text.Json.JsonSerializer.Deserialize<RestartMessage>(message.Body)!.Text);
                }
            }

            Assert.That(handledWhenStopped, Is.LessThan(MessageCount), "the broker must stop mid-flow for this test to mean anything");
            Assert.That(ids.Except(arrived.Keys), Is.Empty, "every message sent reaches the output");
            TestContext.Out.WriteLine($"stopped after {handledWhenStopped} of {MessageCount} were handled; {arrived.Values.Count(n => n > 1)} message(s) arrived more than once (at-least-once across a restart)");
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    [Test]
    public async Task A_delivery_taken_before_the_connection_dropped_is_not_acknowledged_on_the_new_one_and_comes_again()
    {
        var factory = new DisturbingQuorumFactory();
        try
        {
            var queue = NewQueueName("dead-channel");
            var receiver = factory.CreateTransport(queue);
            await SendAsync(receiver, queue, New("taken before the drop"));

            using (var scope = new RebusTransactionScope())
            {
                TransportMessage? taken = null;
                await EventuallyAsync(async () => (taken = await receiver.Receive(scope.TransactionContext, CancellationToken.None)) is not null, Generous);
                Assert.That(taken, Is.Not.Null);
                var sessions = receiver.ConsumerSessionsOpened;
                await RabbitMqBroker.CtlAsync("close_all_connections", "test: connection lost");
                // Completing once the consumer is back on a new channel: the old delivery tag must not be acked there
                // (tag 1 of the new channel is the redelivered message itself).
                var reconnected = await EventuallyAsync(() => receiver.ConsumerSessionsOpened > sessions, Generous);
                Assert.That(reconnected, Is.True, "the consumer reconnects by itself");
                await scope.CompleteAsync();
            }
            var again = await ReceiveWithinAsync(receiver, Generous);
            var after = await ReceiveWithinAsync(receiver, TimeSpan.FromSeconds(2));

            Assert.That(again, Is.Not.Null, "the broker requeued it when the old channel died");
            Assert.That(TextOf(again!), Is.EqualTo("taken before the drop"));
            Assert.That(again!.Headers[Headers.DeliveryCount], Is.EqualTo("2"));
            Assert.That(after, Is.Null, "completed on the live channel, it is gone");
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    /// <summary>What a sender does while the broker is away: its commit fails, so it sends again.</summary>
    private static async Task SendUntilAcceptedAsync(IBus client, string queue, string text)
    {
        var deadline = DateTimeOffset.UtcNow + Generous;
        while (true)
        {
            try
            {
                await client.Advanced.Routing.Send(queue, new RestartMessage(text));
                return;
            }
            catch (Exception) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

public sealed record RestartMessage(string Text);

