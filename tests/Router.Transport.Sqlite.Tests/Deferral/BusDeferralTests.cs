using System.Collections.Concurrent;
using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Routing.TypeBased;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Deferral;

/// <summary>All three ways Rebus defers a message work without a timeout manager, and a due message is not deferred again.</summary>
public sealed class BusDeferralTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private TestDatabaseFile file = null!;

    [SetUp]
    public void CreateDatabase() => file = new TestDatabaseFile();

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task DeferLocal_delivers_the_message_to_the_own_queue_once_it_is_due()
    {
        var deliveries = new ConcurrentQueue<Delivery>();
        using var activator = Recording(deliveries);
        using var bus = StartBus(activator, "local");

        var dueAt = DateTimeOffset.UtcNow + Delay;
        await bus.DeferLocal(Delay, new Reminder("local"));

        Assert.That(await EventuallyAsync(() => !deliveries.IsEmpty), Is.True);
        await AssertDeliveredOnceAfterAsync(deliveries, dueAt, "local");
    }

    [Test]
    public async Task Defer_delivers_the_message_to_its_routed_destination_once_it_is_due()
    {
        var atSender = new ConcurrentQueue<Delivery>();
        var atDestination = new ConcurrentQueue<Delivery>();
        using var senderActivator = Recording(atSender);
        using var destinationActivator = Recording(atDestination);
        using var sender = StartBus(senderActivator, "sender", routing: r => r.TypeBased().Map<Reminder>("destination"));
        using var destination = StartBus(destinationActivator, "destination");

        var dueAt = DateTimeOffset.UtcNow + Delay;
        await sender.Defer(Delay, new Reminder("routed"));

        Assert.That(await EventuallyAsync(() => !atDestination.IsEmpty), Is.True);
        await AssertDeliveredOnceAfterAsync(atDestination, dueAt, "routed");
        Assert.That(atSender, Is.Empty);
    }

    [Test]
    public async Task A_one_way_client_can_defer_a_routed_message()
    {
        var deliveries = new ConcurrentQueue<Delivery>();
        using var activator = Recording(deliveries);
        using var receiver = StartBus(activator, "destination");
        using var client = Configure.OneWayClient()
            .Logging(l => l.None())
            .Transport(t => t.UseSqliteAsOneWayClient(file.Database))
            .Routing(r => r.TypeBased().Map<Reminder>("destination"))
            .Start();

        var dueAt = DateTimeOffset.UtcNow + Delay;
        await client.Defer(Delay, new Reminder("from a client"));

        Assert.That(await EventuallyAsync(() => !deliveries.IsEmpty), Is.True);
        await AssertDeliveredOnceAfterAsync(deliveries, dueAt, "from a client");
    }

    [Test]
    public async Task TransportMessage_Defer_in_a_handler_delivers_the_same_message_again_once_it_is_due()
    {
        var deliveries = new ConcurrentQueue<Delivery>();
        DateTimeOffset? deferredAt = null;
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<Reminder>(async (bus, context, reminder) =>
        {
            deliveries.Enqueue(new Delivery(reminder.Text, DateTimeOffset.UtcNow, new Dictionary<string, string>(context.Headers)));
            if (!context.Headers.ContainsKey(Headers.DeferCount))
            {
                deferredAt = DateTimeOffset.UtcNow;
                await bus.Advanced.TransportMessage.Defer(Delay);
            }
        });
        using var bus = StartBus(activator, "retry-later");

        await bus.SendLocal(new Reminder("again"));

        Assert.That(await EventuallyAsync(() => deliveries.Count >= 2), Is.True);
        await Task.Delay(Delay);
        var all = deliveries.ToList();
        Assert.That(all, Has.Count.EqualTo(2), "first delivery, then the deferred one; never a third");
        Assert.That(all[1].At, Is.GreaterThanOrEqualTo(deferredAt!.Value + Delay));
        Assert.That(all[1].Headers[Headers.DeferCount], Is.EqualTo("1"));
        Assert.That(all[1].Headers.ContainsKey(Headers.DeferredUntil), Is.False);
    }

    private async Task AssertDeliveredOnceAfterAsync(ConcurrentQueue<Delivery> deliveries, DateTimeOffset dueAt, string text)
    {
        // A wrongly re-deferred message would arrive a second time after another delay: give it that chance.
        await Task.Delay(Delay * 1.5);
        var all = deliveries.ToList();
        Assert.That(all.Select(d => d.Text), Is.EqualTo(new[] { text }));
        Assert.That(all[0].At, Is.GreaterThanOrEqualTo(dueAt));
        Assert.That(all[0].Headers.ContainsKey(Headers.DeferredUntil), Is.False);
        Assert.That(await new Router.Transport.Sqlite.Inspection.SqliteQueues(file.Database).GetAllCountsAsync(), Is.Empty, "nothing left anywhere");
    }

    private static BuiltinHandlerActivator Recording(ConcurrentQueue<Delivery> deliveries)
    {
        var activator = new BuiltinHandlerActivator();
        activator.Handle<Reminder>((_, context, reminder) =>
        {
            deliveries.Enqueue(new Delivery(reminder.Text, DateTimeOffset.UtcNow, new Dictionary<string, string>(context.Headers)));
            return Task.CompletedTask;
        });
        return activator;
    }

    private IBus StartBus(BuiltinHandlerActivator activator, string queue, Action<StandardConfigurer<Rebus.Routing.IRouter>>? routing = null) =>
        Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(file.Database, queue))
            .Routing(r => routing?.Invoke(r))
            .Start();

    private sealed record Delivery(string Text, DateTimeOffset At, Dictionary<string, string> Headers);

    public sealed record Reminder(string Text);
}
