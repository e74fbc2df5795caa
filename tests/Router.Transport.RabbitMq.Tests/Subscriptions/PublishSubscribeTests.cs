using System.Collections.Concurrent;
using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;

namespace Router.Transport.RabbitMq.Tests.Subscriptions;

/// <summary>Publish/subscribe without a subscription store: subscribing binds the input queue to the topic exchange.</summary>
[TestFixture]
public sealed class PublishSubscribeTests
{
    [Test]
    public async Task Every_subscriber_gets_a_published_event_and_an_unsubscribed_one_stops_getting_them()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            var received = new ConcurrentQueue<(string Subscriber, string Text)>();
            var secondQueue = NewQueueName("second");
            IBus Subscriber(BuiltinHandlerActivator activator, string name, string queue)
            {
                activator.Handle<OrderShipped>(e =>
                {
                    received.Enqueue((name, e.Text));
                    return Task.CompletedTask;
                });
                return Configure.With(activator).Logging(l => l.None())
                    .Transport(t => factory.UseTransport(t, queue)).Start();
            }
            using var firstActivator = new BuiltinHandlerActivator();
            using var secondActivator = new BuiltinHandlerActivator();
            using var first = Subscriber(firstActivator, "first", NewQueueName("first"));
            using var second = Subscriber(secondActivator, "second", secondQueue);
            using var publisher = Configure.OneWayClient().Logging(l => l.None()).Transport(factory.UseOneWayClient).Start();
            await first.Subscribe<OrderShipped>();
            await second.Subscribe<OrderShipped>();

            await publisher.Publish(new OrderShipped("to both"));
            var both = await EventuallyAsync(() => received.Count == 2, Generous);
            await second.Unsubscribe<OrderShipped>();
            await publisher.Publish(new OrderShipped("to the first only"));
            var onlyFirst = await EventuallyAsync(() => received.Any(r => r.Text == "to the first only"), Generous);
            // A marker through the second subscriber's queue, to know nothing else is on its way there.
            await publisher.Advanced.Routing.Send(secondQueue, new OrderShipped("marker"));
            await EventuallyAsync(() => received.Any(r => r.Text == "marker"), Generous);

            Assert.That(both, Is.True);
            Assert.That(onlyFirst, Is.True);
            Assert.That(received.Where(r => r.Subscriber == "second").Select(r => r.Text), Is.EqualTo(new[] { "to both", "marker" }));
            Assert.That(received.Where(r => r.Subscriber == "first").Select(r => r.Text), Is.EqualTo(new[] { "to both", "to the first only" }));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    [Test]
    public async Task Publishing_an_event_nobody_subscribed_to_is_not_an_error()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            using var publisher = Configure.OneWayClient().Logging(l => l.None()).Transport(factory.UseOneWayClient).Start();

            Assert.DoesNotThrowAsync(() => publisher.Publish(new OrderShipped($"nobody listens {Guid.NewGuid()}")));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }
}

public sealed record OrderShipped(string Text);
