using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    [Test]
    public async Task Inbox_a_message_never_seen_is_new()
    {
        var (verdict, existing) = await State.Inbox.CheckAsync("orders-to-1c", "m-1", "hash-a", Ct);

        Assert.That(verdict, Is.EqualTo(InboxVerdict.New));
        Assert.That(existing, Is.Null);
    }

    [Test]
    public async Task Inbox_the_same_id_and_hash_again_is_a_duplicate()
    {
        await CommitAsync(c => c.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0))));

        var (verdict, existing) = await State.Inbox.CheckAsync("orders-to-1c", "m-1", "hash-a", Ct);

        Assert.That(verdict, Is.EqualTo(InboxVerdict.Duplicate));
        Assert.That(existing, Is.EqualTo(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0))));
    }

    [Test]
    public async Task Inbox_the_same_id_with_another_hash_is_a_conflict()
    {
        await CommitAsync(c => c.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0))));

        var (verdict, existing) = await State.Inbox.CheckAsync("orders-to-1c", "m-1", "hash-b", Ct);

        Assert.That(verdict, Is.EqualTo(InboxVerdict.Conflict));
        Assert.That(existing!.PayloadHash, Is.EqualTo("hash-a"));
    }

    [Test]
    public async Task Inbox_scopes_are_independent()
    {
        await CommitAsync(c => c.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0))));

        var (verdict, _) = await State.Inbox.CheckAsync("deliver.onec-http", "m-1", "hash-a", Ct);

        Assert.That(verdict, Is.EqualTo(InboxVerdict.New));
    }

    [Test]
    public async Task Inbox_a_second_commit_of_the_same_id_loses_the_race_and_writes_nothing()
    {
        await CommitAsync(c => c.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0))));

        var racer = new StateChanges();
        racer.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(1)));
        racer.Journal.Add(new JournalEntry { At = At(1), MessageId = "m-1", Step = JournalSteps.Received });

        var race = Assert.ThrowsAsync<InboxRaceException>(() => State.Writer.CommitAsync(racer, Ct));
        Assert.That(race!.Scope, Is.EqualTo("orders-to-1c"));
        Assert.That(race.MessageId, Is.EqualTo("m-1"));
        Assert.That(await State.Journal.TraceAsync("m-1", 100, Ct), Is.Empty);
        Assert.That((await State.Inbox.FindAsync("orders-to-1c", "m-1", Ct))!.FirstSeenAt, Is.EqualTo(At(0)));
    }
}
