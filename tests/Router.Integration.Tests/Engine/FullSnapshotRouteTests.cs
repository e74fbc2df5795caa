using System.Text.Json;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

/// <summary>
/// A full 1C catalogue that no longer lists a product deactivates it: the route remembers the keys of the last full
/// snapshot and sends an inactive product for each one that dropped out.
/// </summary>
public sealed class FullSnapshotRouteTests
{
    private const string Yaml = """
        router:
          storage: { kind: sqlite, path: ./data/router.db }
        endpoints:
          from-1c: { kind: folder, path: ./from-1c, pattern: "import*.xml", format: xml, type: file.received }
          products: { kind: folder, path: ./products, fileName: "{idempotencyKey}.json" }
        routes:
          - id: catalog-from-1c
            from: from-1c
            steps:
              - commerceml-catalog: {}
            fullSnapshot: { when: "headers['commerceml-full-catalog'] == 'true'", key: $.id, entity: catalog }
            to: [ products ]
        """;

    private static string Import(bool changesOnly, params string[] ids) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <КоммерческаяИнформация ВерсияСхемы="2.07"><Каталог СодержитТолькоИзменения="{(changesOnly ? "true" : "false")}"><Ид>c1</Ид><Наименование>Каталог</Наименование><Товары>
        {string.Concat(ids.Select(id => $"<Товар><Ид>{id}</Ид><Наименование>Product {id}</Наименование></Товар>"))}
        </Товары></Каталог></КоммерческаяИнформация>
        """;

    [Test]
    public async Task Products_missing_from_the_next_full_catalogue_are_deactivated_once()
    {
        await using var router = await RouterFixture.StartAsync(Yaml);

        router.Drop("from-1c", "import-1.xml", Import(changesOnly: false, "A", "B", "C"));
        await router.RunOnceAsync();
        Assert.That(Products(router), Has.Count.EqualTo(3));
        Assert.That(Inactive(router), Is.Empty, "the first full catalogue has nothing to compare with");

        router.Drop("from-1c", "import-2.xml", Import(changesOnly: false, "A", "C"));
        await router.RunOnceAsync();
        Assert.That(Inactive(router), Is.EqualTo(new[] { ("B", "B") }));
        Assert.That(Products(router), Has.Count.EqualTo(6));

        router.Drop("from-1c", "import-3.xml", Import(changesOnly: true, "A"));
        await router.RunOnceAsync();
        Assert.That(Products(router), Has.Count.EqualTo(7));
        Assert.That(Inactive(router), Has.Count.EqualTo(1), "a changes-only file lists only what changed");

        // The same full catalogue again, once under its own name (a redelivery) and once under a new one.
        router.Drop("from-1c", "import-2.xml", Import(changesOnly: false, "A", "C"));
        router.Drop("from-1c", "import-4.xml", Import(changesOnly: false, "A", "C"));
        await router.RunOnceAsync();
        Assert.That(Inactive(router), Has.Count.EqualTo(1), "B was deactivated already");

        // The changes-only file did not replace the remembered set: C, missing from it, is still known and goes now.
        router.Drop("from-1c", "import-5.xml", Import(changesOnly: false, "A"));
        await router.RunOnceAsync();
        Assert.That(Inactive(router).Select(p => p.Id), Is.EquivalentTo(new[] { "B", "C" }));
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
        var stored = await router.State.EntitySnapshots.GetAsync("full-snapshot", "catalog", CancellationToken.None);
        Assert.That(stored!.DocumentJson, Is.EqualTo("""{"keys":["A"]}"""));
    }

    private static List<JsonElement> Products(RouterFixture router) =>
        Directory.Exists(router.Path("products"))
            ? Directory.GetFiles(router.Path("products"), "*.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList()
            : [];

    private static List<(string Id, string Name)> Inactive(RouterFixture router) =>
        Products(router)
            .Where(p => !p.GetProperty("active").GetBoolean())
            .Select(p => (p.GetProperty("id").GetString()!, p.GetProperty("name").GetString()!))
            .OrderBy(p => p.Item1, StringComparer.Ordinal)
            .ToList();
}
