using Router.Core.Stores;
using Router.Integration.Tests.Support;
using Router.Sandbox.Faults;

namespace Router.Integration.Tests.Engine;

public sealed class OrderingTests
{
    private static readonly string OrderedRoute = "ordering: { key: $.number, version: $.version }";

    [Test]
    public async Task An_older_version_arriving_after_a_newer_one_is_skipped_as_stale()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(routeExtra: OrderedRoute, to: "[ platform ]"));
        router.Drop("inbox", "v2.json", Yaml.Order("3001", version: 2));
        await router.RunOnceAsync();
        router.Drop("inbox", "v1.json", Yaml.Order("3001", version: 1));
        await router.RunOnceAsync();

        var delivered = router.Requests("/platform/orders");
        Assert.That(delivered.Select(r => r.Header("X-Message-Id")), Is.EqualTo(new[] { "3001-v2" }));
        var trace = await router.TraceAsync("3001-v1");
        Assert.That(trace.Select(e => e.Step), Does.Contain(JournalSteps.Stale));
    }

    [Test]
    public async Task Later_versions_park_while_an_earlier_one_is_dead_lettered_and_follow_it_after_the_replay()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(routeExtra: OrderedRoute, to: "[ platform ]"));
        router.Sandbox.State.Faults.Add("platform", FaultSpec.Answer(400));
        router.Drop("inbox", "v1.json", Yaml.Order("3101", version: 1));
        router.Drop("inbox", "other.json", Yaml.Order("3199", version: 1));
        await router.RunOnceAsync();
        var dead = await router.DeadLettersAsync();
        Assert.That(dead, Has.Count.EqualTo(1), "one of the two orders met the fault");
        var blockedOrder = dead[0].EntityKey!;
        var otherOrder = blockedOrder == "3101" ? "3199" : "3101";

        router.Drop("inbox", "v2.json", Yaml.Order(blockedOrder, version: 2));
        router.Drop("inbox", "other-v2.json", Yaml.Order(otherOrder, version: 2));
        await router.RunOnceAsync();
        Assert.That((await router.TraceAsync($"{blockedOrder}-v2")).Select(e => e.Step), Does.Contain(JournalSteps.Parked));
        Assert.That(await router.State.Parking.CountAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(router.Requests("/platform/orders").Where(r => r.Status == 201).Select(r => r.Header("X-Message-Id")),
            Does.Contain($"{otherOrder}-v2"), "other keys keep flowing");

        await router.Engine.DeadLetterAdmin.ReplayAsync(dead, dryRun: false, "test", CancellationToken.None);
        await router.DrainAsync();

        var blocked = router.Requests("/platform/orders")
            .Where(r => r.Status == 201 && r.Header("X-Message-Id")!.StartsWith(blockedOrder + "-", StringComparison.Ordinal))
            .Select(r => r.Header("X-Message-Id"))
            .ToList();
        Assert.That(blocked, Is.EqualTo(new[] { $"{blockedOrder}-v1", $"{blockedOrder}-v2" }), "v1 first, then the parked v2");
        Assert.That(await router.State.Parking.CountAsync(CancellationToken.None), Is.Zero);
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task Archiving_the_dead_letter_that_holds_an_entity_releases_its_parked_messages()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(routeExtra: OrderedRoute, to: "[ platform ]"));
        router.Drop("inbox", "v1.json", Yaml.Order("3201", version: 1, email: "not-an-address"));
        await router.RunOnceAsync();
        var dead = await router.DeadLettersAsync();
        Assert.That(dead.Single().ErrorCode, Is.EqualTo("http-422"));

        router.Drop("inbox", "v2.json", Yaml.Order("3201", version: 2));
        await router.RunOnceAsync();
        Assert.That(router.Requests("/platform/orders").Count(r => r.Status == 201), Is.Zero, "v2 waits behind v1");

        await router.Engine.DeadLetterAdmin.ArchiveAsync(dead, CancellationToken.None);
        await router.DrainAsync();

        Assert.That(router.Requests("/platform/orders").Where(r => r.Status == 201).Select(r => r.Header("X-Message-Id")), Is.EqualTo(new[] { "3201-v2" }));
        var steps = (await router.TraceAsync("3201-v1")).Select(e => e.Step).ToList();
        Assert.That(steps, Does.Contain(JournalSteps.Archived));
    }
}
