using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private static EntitySnapshotUpdate Snapshot(string entityKey, long expectedRevision, string document, int minute = 0, string scope = "customer") =>
        new(scope, entityKey, expectedRevision, document, At(minute));

    private Task<EntitySnapshot?> GetSnapshotAsync(string entityKey, string scope = "customer") =>
        State.EntitySnapshots.GetAsync(scope, entityKey, Ct);

    [Test]
    public async Task Entity_snapshot_is_unknown_until_one_is_written()
    {
        Assert.That(await GetSnapshotAsync("42"), Is.Null);
    }

    [Test]
    public async Task Entity_snapshot_round_trips_with_its_revision()
    {
        const string document = """{"agreed":{"fields":{"email":"иван@пример.рф"}}}""";
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 0, document, minute: 3)));

        var stored = await GetSnapshotAsync("42");

        Assert.That(stored, Is.EqualTo(new EntitySnapshot("customer", "42", 1, document, At(3))));
    }

    [Test]
    public async Task Each_replacement_expecting_the_current_revision_moves_it_on()
    {
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 0, "{\"v\":1}")));
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 1, "{\"v\":2}", minute: 1)));
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 2, "{\"v\":3}", minute: 2)));

        var stored = await GetSnapshotAsync("42");

        Assert.That((stored!.Revision, stored.DocumentJson, stored.UpdatedAt), Is.EqualTo((3L, "{\"v\":3}", At(2))));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public async Task A_replacement_expecting_another_revision_is_refused(long expected)
    {
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 0, "{\"v\":1}")));
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 1, "{\"v\":2}")));

        var refused = Assert.ThrowsAsync<SnapshotRevisionException>(() => CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", expected, "{\"v\":9}"))));

        Assert.That((refused!.Scope, refused.EntityKey, refused.ExpectedRevision), Is.EqualTo(("customer", "42", expected)));
        var stored = await GetSnapshotAsync("42");
        Assert.That((stored!.Revision, stored.DocumentJson), Is.EqualTo((2L, "{\"v\":2}")));
    }

    [Test]
    public async Task Entity_snapshots_are_kept_per_scope_and_key()
    {
        await CommitAsync(c =>
        {
            c.EntitySnapshots.Add(Snapshot("42", 0, "{\"c\":42}"));
            c.EntitySnapshots.Add(Snapshot("43", 0, "{\"c\":43}"));
            c.EntitySnapshots.Add(Snapshot("42", 0, "{\"s\":42}", scope: "supplier"));
        });

        Assert.That((await GetSnapshotAsync("42"))!.DocumentJson, Is.EqualTo("{\"c\":42}"));
        Assert.That((await GetSnapshotAsync("43"))!.DocumentJson, Is.EqualTo("{\"c\":43}"));
        Assert.That((await GetSnapshotAsync("42", scope: "supplier"))!.DocumentJson, Is.EqualTo("{\"s\":42}"));
    }

    [Test]
    public async Task A_refused_snapshot_writes_none_of_its_commits_changes()
    {
        await CommitAsync(c => c.EntitySnapshots.Add(Snapshot("42", 0, "{\"v\":1}")));

        var doomed = new StateChanges();
        doomed.InboxEntries.Add(new InboxEntry("route:customers-to-1c", "m-5", "hash", At(1)));
        doomed.Journal.Add(new JournalEntry { At = At(1), MessageId = "m-5", Step = JournalSteps.ConflictResolved });
        doomed.DeadLetters.Add(Failure("m-5", 1));
        doomed.Parked.Add(Parked("m-6", "customer:43", 1));
        doomed.EntitySnapshots.Add(Snapshot("43", 0, "{\"v\":1}"));
        doomed.EntitySnapshots.Add(Snapshot("42", 0, "{\"v\":2}"));

        Assert.ThrowsAsync<SnapshotRevisionException>(() => State.Writer.CommitAsync(doomed, Ct));

        Assert.That(await State.Inbox.FindAsync("route:customers-to-1c", "m-5", Ct), Is.Null);
        Assert.That(await State.Journal.TraceAsync("m-5", 100, Ct), Is.Empty);
        Assert.That(await State.DeadLetters.ListAsync(EveryStatus, Ct), Is.Empty);
        Assert.That(await State.Parking.CountAsync(Ct), Is.Zero);
        Assert.That(await GetSnapshotAsync("43"), Is.Null);
        Assert.That((await GetSnapshotAsync("42"))!.DocumentJson, Is.EqualTo("{\"v\":1}"));
    }
}
