using Router.Integration.Tests.Support;
using Router.Testing;

namespace Router.Integration.Tests.ScaleOut;

/// <summary>
/// Two <c>router run</c> hosts on <c>config/examples/production.yaml</c> (RabbitMQ quorum queues + PostgreSQL state),
/// competing for the same queues, 200 orders from the platform's queue to the platform's order API (the sandbox) and
/// to the order-events exchange. A host killed with SIGKILL, or the broker restarted, part-way through: every order is
/// created exactly once, every event published, nothing dead-lettered.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MultiHostTests
{
    internal const int Orders = 200;

    // Slow enough that a kill or a restart lands mid-flow (checked, not assumed), fast enough for a short test.
    private static readonly TimeSpan PlatformLatency = TimeSpan.FromMilliseconds(100);

    [Test]
    [CancelAfter(300_000)]
    public async Task A_host_killed_mid_flow_loses_nothing_and_the_survivor_creates_every_order_exactly_once()
    {
        using var broker = await RabbitMqBroker.ShareAsync();
        await using var cluster = await ScaleOutCluster.CreateAsync();
        cluster.Sandbox.State.Faults.SetLatency("platform", PlatformLatency);
        await cluster.StartHostsAsync(2);

        await cluster.PublishOrdersAsync(Orders);
        await RouterFixture.EventuallyAsync(() =>
        {
            Assert.That(cluster.Hosts.Any(h => h.HasExited), Is.False, "a host exited:\n" + cluster.Outputs());
            return Task.FromResult(cluster.OrdersCreated().Count >= Orders / 5);
        }, "a fifth of the orders created", TimeSpan.FromMinutes(2));
        cluster.Hosts[0].KillHard();
        var createdAtKill = cluster.OrdersCreated().Count;
        Assert.That(createdAtKill, Is.LessThan(Orders), "the kill must land mid-flow for this test to mean anything");

        await RouterFixture.EventuallyAsync(() =>
        {
            Assert.That(cluster.Hosts[1].HasExited, Is.False, "the survivor exited:\n" + cluster.Outputs());
            return Task.FromResult(cluster.OrdersCreated().Count == Orders);
        }, "every order created by the survivor", TimeSpan.FromMinutes(3));
        var (events, repeats) = await AssertEveryOrderOnceAsync(cluster);

        await TestContext.Out.WriteLineAsync(
            $"kill -9 of host 1 after {createdAtKill} of {Orders} orders created; host 2 finished: {Orders} created once each, " +
            $"{events} distinct events ({repeats} repeated publish(es), same message_id), {PlatformRepeats(cluster)} repeated call(s) answered from the platform's idempotency store, 0 dead letters");
    }

    internal static async Task<(int Events, int Repeats)> AssertEveryOrderOnceAsync(ScaleOutCluster cluster)
    {
        // The events leg runs beside the HTTP leg: wait for it too, then look at everything once more.
        var events = new Dictionary<string, int>(StringComparer.Ordinal);
        await RouterFixture.EventuallyAsync(async () =>
        {
            foreach (var (id, count) in await cluster.DrainEventsAsync())
            {
                events[id] = events.GetValueOrDefault(id) + count;
            }
            return events.Count >= Orders;
        }, "an order-created event for every order", TimeSpan.FromMinutes(2));

        var created = cluster.OrdersCreated();
        var deadLetters = await cluster.DeadLetterCountAsync();
        var backlog = await cluster.SourceBacklogAsync();
        Assert.Multiple(() =>
        {
            Assert.That(created.Keys, Is.EquivalentTo(Enumerable.Range(1, Orders).Select(ScaleOutCluster.OrderNumber)), "every order created");
            Assert.That(created.Where(c => c.Value > 1).Select(c => c.Key), Is.Empty, "no order created twice");
            Assert.That(cluster.Platform.Orders, Has.Count.EqualTo(Orders));
            Assert.That(events, Has.Count.EqualTo(Orders), "one distinct event per order:\n" + string.Join(", ", events.Keys.Take(5)));
            Assert.That(deadLetters, Is.Zero, "nothing dead-lettered:\n" + cluster.Outputs());
            Assert.That(backlog, Is.Zero, "every order taken off the platform's queue");
        });
        return (events.Count, events.Values.Sum() - events.Count);
    }

    internal static int PlatformRepeats(ScaleOutCluster cluster) =>
        cluster.Sandbox.State.Requests.Query(new Router.Sandbox.RequestLog.RequestLogQuery { Path = "/platform/orders", Limit = 100_000 }).Count(r => r.Repeat);
}
