using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private Task SetVersionAsync(string entityKey, long version, string scope = "orders-to-1c") =>
        CommitAsync(c => c.EntityVersions.Add(new EntityVersionUpdate(scope, entityKey, version)));

    [Test]
    public async Task Entity_version_is_unknown_until_one_is_applied()
    {
        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.Null);
    }

    [Test]
    public async Task Entity_version_moves_forward_only()
    {
        await SetVersionAsync("order:1001", 3);
        await SetVersionAsync("order:1001", 7);

        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.EqualTo(7));
    }

    [TestCase(5)]
    [TestCase(7)]
    public async Task Entity_version_not_newer_than_the_applied_one_is_stale(long version)
    {
        await SetVersionAsync("order:1001", 7);

        var stale = Assert.ThrowsAsync<StaleVersionException>(() => SetVersionAsync("order:1001", version));

        Assert.That((stale!.Scope, stale.EntityKey, stale.Version), Is.EqualTo(("orders-to-1c", "order:1001", version)));
        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.EqualTo(7));
    }

    [Test]
    public async Task Entity_versions_are_kept_per_scope()
    {
        await SetVersionAsync("order:1001", 7, scope: "orders-to-1c");
        await SetVersionAsync("order:1001", 2, scope: "orders-to-crm");

        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.EqualTo(7));
        Assert.That(await State.EntityVersions.GetAsync("orders-to-crm", "order:1001", Ct), Is.EqualTo(2));
    }

    [Test]
    public async Task A_stale_commit_writes_none_of_its_changes()
    {
        await SetVersionAsync("order:1001", 7);
        await CommitAsync(c => c.Parked.Add(Parked("m-0", "order:3003", 0)));
        var parkedBefore = (await State.Parking.ListAsync("orders-to-1c", "order:3003", Ct)).Single();

        var doomed = new StateChanges();
        doomed.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-5", "hash", At(1)));
        doomed.Journal.Add(new JournalEntry { At = At(1), MessageId = "m-5", Step = JournalSteps.Transformed });
        doomed.DeadLetters.Add(Failure("m-5", 1));
        doomed.Parked.Add(Parked("m-6", "order:1001", 1));
        doomed.Unparked.Add(parkedBefore.Id);
        doomed.EntityVersions.Add(new EntityVersionUpdate("orders-to-1c", "order:2002", 1));
        doomed.EntityVersions.Add(new EntityVersionUpdate("orders-to-1c", "order:1001", 5));

        Assert.ThrowsAsync<StaleVersionException>(() => State.Writer.CommitAsync(doomed, Ct));

        Assert.That(await State.Inbox.FindAsync("orders-to-1c", "m-5", Ct), Is.Null);
        Assert.That(await State.Journal.TraceAsync("m-5", 100, Ct), Is.Empty);
        Assert.That(await State.DeadLetters.ListAsync(EveryStatus, Ct), Is.Empty);
        Assert.That(await State.Parking.ListAsync("orders-to-1c", "order:1001", Ct), Is.Empty);
        Assert.That(await State.Parking.ListAsync("orders-to-1c", "order:3003", Ct), Has.Count.EqualTo(1));
        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:2002", Ct), Is.Null);
        Assert.That(await State.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct), Is.EqualTo(7));
    }
}
