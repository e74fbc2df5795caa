using Router.Core.Stores;
using Router.Integration.Tests.Support;
using Router.Sandbox.Faults;

namespace Router.Integration.Tests.Engine;

public sealed class ResilienceTests
{
    [Test]
    public async Task Transient_failures_are_retried_in_process_with_the_same_idempotency_key()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Sandbox.State.Faults.Add("platform", FaultSpec.Answer(503, count: 1));
        router.Sandbox.State.Faults.Add("platform", FaultSpec.TooManyRequests("0", count: 1));
        router.Drop("inbox", "a.json", Yaml.Order("4001"));
        await router.RunOnceAsync();

        var requests = router.Requests("/platform/orders");
        Assert.That(requests.Select(r => r.Status), Is.EqualTo(new int?[] { 503, 429, 201 }));
        Assert.That(requests.Select(r => r.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
        var trace = await router.TraceAsync("4001-v1");
        Assert.That(trace.Count(e => e.Step == JournalSteps.Failed), Is.EqualTo(2));
        Assert.That(trace.Count(e => e.Step == JournalSteps.Delivered), Is.EqualTo(1));
    }

    [Test]
    public async Task After_the_retries_a_transient_failure_is_deferred_and_redelivered_later()
    {
        const string platform = "resilience: { retry: { attempts: 0 }, redelivery: { delays: [200ms, 200ms] } }";
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(platformExtra: platform, to: "[ platform ]"));
        router.Sandbox.State.Faults.Add("platform", FaultSpec.Answer(502, count: 2));
        router.Drop("inbox", "a.json", Yaml.Order("4101"));
        await router.RunOnceAsync();

        await RouterFixture.EventuallyAsync(async () => (await router.TraceAsync("4101-v1")).Any(e => e.Step == JournalSteps.Delivered), "the redelivered order");
        var trace = await router.TraceAsync("4101-v1");
        Assert.That(trace.Count(e => e.Step == JournalSteps.RetryScheduled), Is.EqualTo(2));
        Assert.That(router.Requests("/platform/orders").Select(r => r.Status), Is.EqualTo(new int?[] { 502, 502, 201 }));
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task While_the_breaker_is_open_deliveries_go_to_the_fallback_endpoint()
    {
        const string platform = """
            parallelism: 1
            fallback: spool
            resilience: { retry: { attempts: 0 }, circuitBreaker: { failureRatio: 0.5, minimumThroughput: 2, samplingDuration: 30s, breakDuration: 1m } }
            """;
        const string spool = """
            spool:
              kind: folder
              path: ./spool
            """;
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(platformExtra: platform, endpointsExtra: spool, to: "[ platform ]"));
        router.Sandbox.State.Faults.SetDown("platform", true);
        for (var i = 0; i < 6; i++)
        {
            router.Drop("inbox", $"{i}.json", Yaml.Order($"42{i:00}"));
        }
        await router.RunOnceAsync();

        var dead = await router.DeadLettersAsync();
        var spooled = Directory.GetFiles(router.Path("spool"));
        Assert.That(dead.Count + spooled.Length, Is.EqualTo(6), "every order is either in the dead-letter store or in the fallback");
        Assert.That(spooled, Has.Length.GreaterThanOrEqualTo(1));
        Assert.That(dead, Has.Count.GreaterThanOrEqualTo(2), "the breaker opens only after minimumThroughput failures");
        var fallbackSteps = 0;
        for (var i = 0; i < 6; i++)
        {
            fallbackSteps += (await router.TraceAsync($"42{i:00}-v1")).Count(e => e.Step == JournalSteps.Fallback);
        }
        Assert.That(fallbackSteps, Is.EqualTo(spooled.Length));
    }
}
