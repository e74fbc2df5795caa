using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private Task WriteOneOfEachAsync() => CommitAsync(c =>
    {
        c.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At(0)));
        c.Journal.Add(new JournalEntry { At = At(0), MessageId = "m-1", Step = JournalSteps.Received });
        c.DeadLetters.Add(Failure("m-1", 0));
        c.EntityVersions.Add(new EntityVersionUpdate("orders-to-1c", "order:1001", 3));
        c.Parked.Add(Parked("m-2", "order:1001", 1));
        c.EntitySnapshots.Add(new EntitySnapshotUpdate("customer", "42", 0, "{}", At(0)));
    });

    private async Task AssertOneOfEachIsThereAsync()
    {
        Assert.That(await State.Inbox.FindAsync("orders-to-1c", "m-1", Ct), Is.Not.Null);
        Assert.That(await State.Journal.TraceAsync("m-1", 100, Ct), Has.Count.EqualTo(1));
        Assert.That(await State.DeadLetters.ListAsync(new DeadLetterQuery(), Ct), Has.Count.EqualTo(1));
        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.EqualTo(3));
        Assert.That(await State.Parking.CountAsync(Ct), Is.EqualTo(1));
        Assert.That((await State.EntitySnapshots.GetAsync("customer", "42", Ct))?.Revision, Is.EqualTo(1));
    }

    [Test]
    public async Task Migrating_again_changes_nothing()
    {
        await WriteOneOfEachAsync();

        await State.MigrateAsync(Ct);

        await AssertOneOfEachIsThereAsync();
    }

    [Test]
    public async Task Reopened_storage_migrates_and_keeps_its_state()
    {
        await WriteOneOfEachAsync();

        await ReopenAsync();
        await State.MigrateAsync(Ct);

        await AssertOneOfEachIsThereAsync();
        var (verdict, _) = await State.Inbox.CheckAsync("orders-to-1c", "m-1", "hash-a", Ct);
        Assert.That(verdict, Is.EqualTo(InboxVerdict.Duplicate));
    }
}
