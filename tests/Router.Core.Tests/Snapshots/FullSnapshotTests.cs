using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Snapshots;
using Router.Core.Stores;

namespace Router.Core.Tests.Snapshots;

public sealed class SnapshotKeySetTests
{
    [Test]
    public void Keys_are_stored_sorted_once_each_as_compact_json()
    {
        var set = SnapshotKeySet.Of(["C", "A", "B", "A"]);

        Assert.That(set.ToJson(), Is.EqualTo("""{"keys":["A","B","C"]}"""));
        Assert.That(SnapshotKeySet.FromJson(set.ToJson()).Keys, Is.EqualTo(new[] { "A", "B", "C" }));
    }

    [Test]
    public void Missing_keys_are_those_of_the_previous_set_the_current_one_lacks()
    {
        var previous = SnapshotKeySet.Of(["A", "B", "C", "D"]);

        Assert.That(previous.MissingFrom(SnapshotKeySet.Of(["C", "A", "E"])), Is.EqualTo(new[] { "B", "D" }));
        Assert.That(previous.MissingFrom(previous), Is.Empty);
        Assert.That(previous.SameKeys(SnapshotKeySet.Of(["D", "C", "B", "A"])), Is.True);
        Assert.That(previous.SameKeys(SnapshotKeySet.Of(["A", "B", "C"])), Is.False);
    }
}

public sealed class DeactivationTests
{
    [Test]
    public void A_deactivated_product_is_an_inactive_canonical_product_with_a_derived_id()
    {
        var file = FullSnapshotGateTests.Envelope("file:import.xml:abc", MessageTypes.FileReceived, "{}");
        var item = FullSnapshotGateTests.Product(file, "A", full: true);

        var deactivation = Deactivations.For(file, item, "B");

        Assert.That((deactivation.MessageId, deactivation.Type, deactivation.EntityKey, deactivation.CausationId),
            Is.EqualTo(("file:import.xml:abc#deactivated:B", MessageTypes.CatalogProduct, "product:B", "file:import.xml:abc")));
        var payload = deactivation.Payload;
        Assert.That((payload.GetProperty("id").GetString(), payload.GetProperty("name").GetString(), payload.GetProperty("active").GetBoolean()),
            Is.EqualTo(("B", "B", false)));
        Assert.That(Deactivations.For(file, item, "B").MessageId, Is.EqualTo(deactivation.MessageId), "a redelivery must produce the same id");
    }

    [Test]
    public void A_type_without_an_inactive_form_is_refused()
    {
        var file = FullSnapshotGateTests.Envelope("f", MessageTypes.FileReceived, "{}");
        var item = FullSnapshotGateTests.Envelope("f#1", MessageTypes.CatalogOffer, """{"id":"1"}""");

        var error = Assert.Throws<PermanentFailureException>(() => Deactivations.For(file, item, "1"));
        Assert.That(error!.Message, Does.Contain("'catalog.offer' has no inactive form"));
    }
}

public sealed class FullSnapshotGateTests
{
    private static readonly CompiledFullSnapshot Option = new("catalog",
        MessageExpression.Compile("headers['commerceml-full-catalog'] == 'true'"), MessageExpression.Compile("$.id"));

    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    internal static Envelope Envelope(string id, string type, string json) =>
        new() { MessageId = id, Type = type, Source = "from-1c", Payload = RouterJson.ParseElement(json) };

    internal static Envelope Product(Envelope file, string id, bool full) =>
        Envelope($"{file.MessageId}#{id}", MessageTypes.CatalogProduct, $$"""{"id":"{{id}}","name":"Product {{id}}","active":true}""")
            .WithHeader("commerceml-full-catalog", full ? "true" : "false") with { EntityKey = "product:" + id };

    private static (Envelope File, List<Envelope> Outputs) File(string name, bool full, params string[] ids)
    {
        var file = Envelope("file:" + name, MessageTypes.FileReceived, "{}");
        return (file, ids.Select(id => Product(file, id, full)).ToList());
    }

    [Test]
    public async Task The_first_full_snapshot_deactivates_nothing_and_is_remembered()
    {
        var store = new MemorySnapshots();
        var (file, outputs) = File("1", full: true, "A", "B", "C");
        var changes = new StateChanges();

        var result = await new FullSnapshotGate(store).ApplyAsync("r", Option, file, outputs, changes, Now, CancellationToken.None);

        Assert.That(result, Is.EqualTo(outputs));
        Assert.That(changes.EntitySnapshots, Is.EqualTo(new[] { new EntitySnapshotUpdate(FullSnapshotGate.Scope, "catalog", 0, """{"keys":["A","B","C"]}""", Now) }));
        Assert.That(changes.Journal, Is.Empty);
    }

    [Test]
    public async Task Keys_missing_from_the_next_full_snapshot_are_deactivated_and_the_set_replaced()
    {
        var store = new MemorySnapshots();
        store.Put("catalog", """{"keys":["A","B","C"]}""", revision: 4);
        var (file, outputs) = File("2", full: true, "C", "A");
        var changes = new StateChanges();

        var result = await new FullSnapshotGate(store).ApplyAsync("r", Option, file, outputs, changes, Now, CancellationToken.None);

        Assert.That(result.Take(2), Is.EqualTo(outputs));
        var deactivation = result.Skip(2).Single();
        Assert.That((deactivation.MessageId, deactivation.EntityKey, deactivation.Payload.GetProperty("active").GetBoolean()),
            Is.EqualTo(("file:2#deactivated:B", "product:B", false)));
        Assert.That(deactivation.Headers["commerceml-full-catalog"], Is.EqualTo("true"));
        Assert.That(changes.EntitySnapshots.Single(), Is.EqualTo(new EntitySnapshotUpdate(FullSnapshotGate.Scope, "catalog", 4, """{"keys":["A","C"]}""", Now)));
        var row = changes.Journal.Single();
        Assert.That((row.Step, row.MessageId, row.Route), Is.EqualTo((JournalSteps.Deactivated, "file:2", "r")));
        Assert.That(row.Detail, Does.StartWith("1 of the 3 keys in the previous full snapshot of 'catalog' are missing: deactivated 'B'"));
    }

    [Test]
    public async Task A_changes_only_file_neither_deactivates_nor_replaces_the_set()
    {
        var store = new MemorySnapshots();
        store.Put("catalog", """{"keys":["A","B","C"]}""", revision: 1);
        var (file, outputs) = File("3", full: false, "A");
        var changes = new StateChanges();

        var result = await new FullSnapshotGate(store).ApplyAsync("r", Option, file, outputs, changes, Now, CancellationToken.None);

        Assert.That(result, Is.EqualTo(outputs));
        Assert.That(changes.IsEmpty, Is.True);
    }

    [Test]
    public async Task The_same_keys_again_change_nothing()
    {
        var store = new MemorySnapshots();
        store.Put("catalog", """{"keys":["A","C"]}""", revision: 2);
        var (file, outputs) = File("4", full: true, "A", "C");
        var changes = new StateChanges();

        var result = await new FullSnapshotGate(store).ApplyAsync("r", Option, file, outputs, changes, Now, CancellationToken.None);

        Assert.That(result, Is.EqualTo(outputs));
        Assert.That(changes.IsEmpty, Is.True);
    }

    [Test]
    public void An_item_without_a_key_fails_the_message()
    {
        var file = Envelope("file:5", MessageTypes.FileReceived, "{}");
        var item = Envelope("file:5#x", MessageTypes.CatalogProduct, """{"name":"no id"}""").WithHeader("commerceml-full-catalog", "true");

        var error = Assert.ThrowsAsync<PermanentFailureException>(() =>
            new FullSnapshotGate(new MemorySnapshots()).ApplyAsync("r", Option, file, [item], new StateChanges(), Now, CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("fullSnapshot key '$.id' found nothing in file:5#x"));
    }

    /// <summary>Reads what a test put; the stores' own compare-and-set is covered by their contract tests.</summary>
    private sealed class MemorySnapshots : IEntitySnapshotStore
    {
        private readonly Dictionary<string, EntitySnapshot> documents = new(StringComparer.Ordinal);

        public void Put(string key, string json, long revision) =>
            documents[key] = new EntitySnapshot(FullSnapshotGate.Scope, key, revision, json, Now);

        public Task<EntitySnapshot?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken) =>
            Task.FromResult(scope == FullSnapshotGate.Scope ? documents.GetValueOrDefault(entityKey) : null);
    }
}
