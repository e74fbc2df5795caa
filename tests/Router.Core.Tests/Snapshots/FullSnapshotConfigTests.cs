using Router.Core.Tests.Config;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Snapshots;

public sealed class FullSnapshotConfigTests
{
    private static string Config(string fullSnapshot) => $$"""
        endpoints:
          from-1c: { kind: folder, path: ./from-1c, type: catalog.product }
          products: { kind: folder, path: ./products }
        routes:
          - id: catalog-from-1c
            from: from-1c
            fullSnapshot: {{fullSnapshot}}
            to: products
        """;

    [Test]
    public void The_entity_defaults_to_the_route_id()
    {
        var result = new ConfigWorkspace().Write("router.yaml", Config("{ when: \"headers['commerceml-full-catalog'] == 'true'\", key: $.id }")).Load();

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Config!.FindRoute("catalog-from-1c")!.FullSnapshot,
            Is.EqualTo(new Router.Core.Config.Model.FullSnapshotDefinition("headers['commerceml-full-catalog'] == 'true'", "$.id", "catalog-from-1c")));
    }

    [Test]
    public void A_named_entity_is_kept()
    {
        var result = new ConfigWorkspace().Write("router.yaml", Config("{ when: \"true\", key: $.id, entity: catalog }")).Load();

        Assert.That(result.Config!.FindRoute("catalog-from-1c")!.FullSnapshot!.Entity, Is.EqualTo("catalog"));
    }

    [Test]
    public void Mistakes_are_reported_where_they_are()
    {
        var yaml = Config("{ when: \"headers[ == 1\", entity: \"no spaces\", keys: $.id }");

        var result = new ConfigWorkspace().Write("router.yaml", yaml).Load();

        var messages = result.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "== 1")}: error: 'when' is not a valid expression"));
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "{ when")}: error: missing required key 'key' in 'fullSnapshot'"));
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "\"no spaces\"")}: error: 'entity'"));
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "keys:")}: error: unknown key 'keys' in 'fullSnapshot' (did you mean 'key'?)"));
        Assert.That(result.Config, Is.Null);
    }
}
