using Router.Core.Failures;
using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

public sealed class IdempotencyTests
{
    [TestCase("sqlite")]
    [TestCase("inmemory")]
    public async Task The_same_message_sent_twice_is_delivered_once(string transport)
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(transport: transport));
        router.Drop("inbox", "a.json", Yaml.Order("1001"));
        await router.RunOnceAsync();
        // Same content under another name and formatting: same message id, same payload hash.
        var reformatted = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(Yaml.Order("1001")).RootElement,
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        router.Drop("inbox", "b.json", reformatted);
        await router.RunOnceAsync();

        var delivered = router.Requests("/platform/orders").Where(r => r.Status == 201).ToList();
        Assert.That(delivered, Has.Count.EqualTo(1));
        var trace = await router.TraceAsync("1001-v1");
        Assert.That(trace.Count(e => e.Step == JournalSteps.Received), Is.EqualTo(2));
        Assert.That(trace.Count(e => e.Step == JournalSteps.Duplicate && e.Endpoint is null), Is.EqualTo(1));
        Assert.That(trace.Count(e => e.Step == JournalSteps.Delivered), Is.EqualTo(2), "one per leg: platform and archive");
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [TestCase("sqlite")]
    [TestCase("inmemory")]
    public async Task The_same_id_with_another_body_becomes_an_idempotency_conflict_and_is_not_delivered(string transport)
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(transport: transport));
        router.Drop("inbox", "a.json", Yaml.Order("1002"));
        await router.RunOnceAsync();
        router.Drop("inbox", "b.json", Yaml.Order("1002", email: "other@example.ru"));
        await router.RunOnceAsync();

        var requests = router.Requests("/platform/orders");
        Assert.That(requests, Has.Count.EqualTo(1));
        Assert.That(requests[0].Body, Does.Contain("buyer@example.ru"));
        var dead = (await router.DeadLettersAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(dead.ErrorCode, Is.EqualTo(ErrorCodes.IdempotencyConflict));
            Assert.That(dead.Stage, Is.EqualTo(DeadLetterStage.Route));
            Assert.That(dead.MessageId, Is.EqualTo("1002-v1"));
            Assert.That(dead.Facts["first-payload-hash"], Is.Not.EqualTo(dead.Facts["new-payload-hash"]));
            Assert.That(dead.EnvelopeJson, Does.Contain("other@example.ru"), "the conflicting version is kept");
        });
        Assert.That(Directory.GetFiles(router.Path("archive")), Has.Length.EqualTo(1));
    }
}
