using Router.Integration.Tests.Support;
using Router.Testing;
using static Router.Integration.Tests.ScaleOut.MultiHostTests;

namespace Router.Integration.Tests.ScaleOut;

/// <summary>
/// The scale-out cluster of <see cref="MultiHostTests"/> with the RabbitMQ node restarted (stop_app, start_app) part-way
/// through 200 orders: every order is created exactly once, every event published, nothing dead-lettered.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BrokerRestartTests
{
    [Test]
    [CancelAfter(420_000)]
    public async Task A_broker_restart_mid_flow_loses_nothing_and_creates_every_order_exactly_once()
    {
        // Restarting the broker disturbs every user of it: wait until nobody else holds it.
        using var broker = await RabbitMqBroker.DisturbAsync();
        await using var cluster = await ScaleOutCluster.CreateAsync();
        // Slower than for the kill: rabbitmqctl itself takes seconds to start on a loaded machine, and the broker must
        // go down while orders are still waiting (at most 2 hosts × 8 calls in flight: about 5 orders a second).
        cluster.Sandbox.State.Faults.SetLatency("platform", TimeSpan.FromSeconds(3));
        await cluster.StartHostsAsync(2);

        await cluster.PublishOrdersAsync(Orders);
        await RouterFixture.EventuallyAsync(() =>
        {
            Assert.That(cluster.Hosts.Any(h => h.HasExited), Is.False, "a host exited:\n" + cluster.Outputs());
            return Task.FromResult(cluster.OrdersCreated().Count >= Orders / 20);
        }, "the first orders created", TimeSpan.FromMinutes(2));
        int createdAtStop;
        var createdBeforeStop = cluster.OrdersCreated().Count;
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await RabbitMqBroker.CtlAsync("stop_app");
            await TestContext.Out.WriteLineAsync($"stop_app took {stopping.Elapsed}; orders created before it: {createdBeforeStop}");
            createdAtStop = cluster.OrdersCreated().Count;
        }
        finally
        {
            await RabbitMqBroker.CtlAsync("start_app");
            await RabbitMqBroker.CtlAsync("await_startup");
        }
        Assert.That(createdAtStop, Is.LessThan(Orders), "the restart must land mid-flow for this test to mean anything");

        await RouterFixture.EventuallyAsync(() =>
        {
            Assert.That(cluster.Hosts.Any(h => h.HasExited), Is.False, "a host exited:\n" + cluster.Outputs());
            return Task.FromResult(cluster.OrdersCreated().Count == Orders);
        }, "every order created after the restart", TimeSpan.FromMinutes(4));
        var (events, repeats) = await AssertEveryOrderOnceAsync(cluster);

        await TestContext.Out.WriteLineAsync(
            $"broker stopped after {createdAtStop} of {Orders} orders created, then started; both hosts finished: {Orders} created once each, " +
            $"{events} distinct events ({repeats} repeated publish(es), same message_id), {PlatformRepeats(cluster)} repeated call(s) answered from the platform's idempotency store, 0 dead letters");
    }
}
