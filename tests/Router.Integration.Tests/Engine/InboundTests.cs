using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

public sealed class InboundTests
{
    [Test]
    public async Task A_malformed_file_goes_to_failed_with_its_reason_and_the_rest_flows()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Drop("inbox", "broken.json", "{ \"number\": \"5001\",\n  \"customer\": { ");
        router.Drop("inbox", "good.json", Yaml.Order("5002"));
        var polls = await router.RunOnceAsync();

        Assert.That(polls["inbox"].Accepted, Is.EqualTo(1));
        Assert.That(polls["inbox"].Rejected, Is.EqualTo(1));
        Assert.That(File.Exists(router.Path("inbox", "failed", "broken.json")), Is.True, "the original is kept");
        var reason = await File.ReadAllTextAsync(router.Path("inbox", "failed", "broken.json.error.txt"));
        Assert.That(reason, Does.Contain("broken.json").And.Contain("line 2"));
        Assert.That(File.Exists(router.Path("inbox", "processed", "good.json")), Is.True);
        Assert.That(router.Requests("/platform/orders").Single().Header("X-Message-Id"), Is.EqualTo("5002-v1"));
    }

    [Test]
    public async Task A_file_without_the_field_its_message_id_comes_from_is_rejected_not_lost()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Drop("inbox", "nameless.json", """{ "customer": { "email": "x@example.ru" } }""");
        var polls = await router.RunOnceAsync();

        Assert.That(polls["inbox"].Rejected, Is.EqualTo(1));
        Assert.That(await File.ReadAllTextAsync(router.Path("inbox", "failed", "nameless.json.error.txt")), Does.Contain("message id"));
        Assert.That(router.Requests("/platform/orders"), Is.Empty);
    }

    [Test]
    public async Task Stopping_the_host_mid_flow_loses_nothing_and_delivers_nothing_twice()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Sandbox.State.Faults.SetLatency("platform", TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 20; i++)
        {
            router.Drop("inbox", $"{i}.json", Yaml.Order($"60{i:00}"));
        }
        await router.Engine.PollAllOnceAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await RouterFixture.EventuallyAsync(() => Task.FromResult(router.Requests("/platform/orders").Count > 0), "a delivery in flight");

        await router.RestartAsync();
        router.Sandbox.State.Faults.SetLatency("platform", TimeSpan.Zero);
        await router.DrainAsync();

        var delivered = router.Requests("/platform/orders").Where(r => r.Status == 201 && !r.Repeat).Select(r => r.Header("X-Message-Id")).ToList();
        Assert.That(delivered, Has.Count.EqualTo(20));
        Assert.That(delivered.Distinct().Count(), Is.EqualTo(20));
        for (var i = 0; i < 20; i++)
        {
            Assert.That((await router.TraceAsync($"60{i:00}-v1")).Count(e => e.Step == JournalSteps.Delivered), Is.EqualTo(1));
        }
    }
}
