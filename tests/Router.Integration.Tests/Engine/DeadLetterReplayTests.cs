using Router.Core.Failures;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

public sealed class DeadLetterReplayTests
{
    [Test]
    public async Task A_destination_that_is_down_is_retried_then_dead_lettered_and_replay_delivers_each_message_exactly_once()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders());
        router.Sandbox.State.Faults.SetDown("platform", true);
        foreach (var number in new[] { "2001", "2002", "2003" })
        {
            router.Drop("inbox", $"{number}.json", Yaml.Order(number));
        }
        await router.RunOnceAsync();

        var dead = await router.DeadLettersAsync();
        Assert.That(dead.Select(d => d.MessageId), Is.EquivalentTo(new[] { "2001-v1", "2002-v1", "2003-v1" }));
        Assert.That(dead.Select(d => d.Endpoint).Distinct(), Is.EqualTo(new[] { "platform" }), "only the failed leg is dead-lettered");
        Assert.That(dead.Select(d => d.ErrorCode).Distinct(), Is.EqualTo(new[] { ErrorCodes.RetriesExhausted }));
        Assert.That(dead.All(d => d.Attempts == 3), Is.True, "the first attempt and two retries");
        Assert.That(Directory.GetFiles(router.Path("archive")), Has.Length.EqualTo(3), "the archive leg is not held up by the platform");

        router.Sandbox.State.Faults.SetDown("platform", false);
        var first = await router.Engine.DeadLetterAdmin.ReplayAsync(dead, dryRun: false, "test", CancellationToken.None);
        Assert.That(first.Select(r => r.Outcome), Is.All.EqualTo(ReplayOutcome.Replayed));
        await router.DrainAsync();

        var delivered = router.Requests("/platform/orders").Where(r => r.Status == 201).ToList();
        Assert.That(delivered, Has.Count.EqualTo(3));
        Assert.That(delivered.Select(r => r.Header("X-Message-Id")), Is.EquivalentTo(new[] { "2001-v1", "2002-v1", "2003-v1" }));
        Assert.That(Directory.GetFiles(router.Path("archive")), Has.Length.EqualTo(3), "replay re-delivers only the failed leg");
        var resolved = await router.DeadLettersAsync(DeadLetterStatus.Resolved);
        Assert.That(resolved, Has.Count.EqualTo(3));

        // A second replay of the same dead letters sends nothing.
        var again = await router.Engine.DeadLetterAdmin.ReplayAsync(resolved, dryRun: false, "test", CancellationToken.None);
        Assert.That(again.Select(r => r.Outcome), Is.All.EqualTo(ReplayOutcome.NotPending));
        await router.DrainAsync();
        Assert.That(router.Requests("/platform/orders").Count(r => r.Status == 201), Is.EqualTo(3));
    }

    [Test]
    public async Task Replaying_a_dead_letter_whose_cause_persists_dead_letters_it_again_with_more_attempts()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Drop("inbox", "bad.json", Yaml.Order("2101", email: ""));
        await router.RunOnceAsync();
        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That(dead.ErrorCode, Is.EqualTo("http-422"));
        Assert.That(dead.ErrorKind, Is.EqualTo("permanent"));
        Assert.That(dead.Attempts, Is.EqualTo(1), "permanent errors are not retried");

        await router.Engine.DeadLetterAdmin.ReplayAsync([dead], dryRun: false, "test", CancellationToken.None);
        await router.DrainAsync();

        var again = (await router.DeadLettersAsync()).Single();
        Assert.That(again.Id, Is.EqualTo(dead.Id), "the same dead letter, not a new one");
        Assert.That(again.Attempts, Is.EqualTo(2));
        Assert.That(again.ReplayHistory, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Two_admins_replaying_the_same_dead_letter_at_once_send_it_once()
    {
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: "[ platform ]"));
        router.Sandbox.State.Faults.SetDown("platform", true);
        router.Drop("inbox", "a.json", Yaml.Order("2201"));
        await router.RunOnceAsync();
        var snapshot = await router.DeadLettersAsync();
        router.Sandbox.State.Faults.SetDown("platform", false);

        // Both read the dead letter while it was pending; the claim inside each replay's commit lets only one through.
        var replays = await Task.WhenAll(
            router.Engine.DeadLetterAdmin.ReplayAsync(snapshot, dryRun: false, "admin-1", CancellationToken.None),
            router.Engine.DeadLetterAdmin.ReplayAsync(snapshot, dryRun: false, "admin-2", CancellationToken.None));
        await router.DrainAsync();

        Assert.That(replays.SelectMany(r => r).Select(r => r.Outcome), Is.EquivalentTo(new[] { ReplayOutcome.Replayed, ReplayOutcome.NotPending }));
        Assert.That(router.Requests("/platform/orders").Count(r => r.Status == 201), Is.EqualTo(1));
        var resolved = (await router.DeadLettersAsync(DeadLetterStatus.Resolved)).Single();
        Assert.That(resolved.ReplayHistory, Has.Count.EqualTo(1));
    }
}
