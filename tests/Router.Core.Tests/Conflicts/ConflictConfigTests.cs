using Router.Core.Conflicts;
using Router.Core.Tests.Config;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Conflicts;

public sealed class ConflictConfigTests
{
    private static string Config(string toOnec, string toPlatform) => $$"""
        endpoints:
          platform-in: { kind: folder, path: ./in/platform, type: customer.upserted }
          onec-in: { kind: folder, path: ./in/onec, type: customer.upserted }
          onec-out: { kind: folder, path: ./out/onec }
          platform-out: { kind: folder, path: ./out/platform }
        routes:
          - id: customers-to-1c
            from: platform-in
            conflicts: {{toOnec}}
            to: onec-out
          - id: customers-to-platform
            from: onec-in
            conflicts: {{toPlatform}}
            to: platform-out
        """;

    [Test]
    public void Conflicts_bind_with_their_defaults()
    {
        var result = new ConfigWorkspace().Write("router.yaml", Config(
            "{ side: platform, key: $.id, strategy: merge_smart, fields: { email: critical, inn: critical, phone: warning, companyName: critical } }",
            "{ side: onec, key: $.id, updatedAt: $.changedAt, fields: { email: warning, inn: critical, phone: info, companyName: critical } }")).Load();

        Assert.That(result.Diagnostics, Is.Empty);
        var toOnec = result.Config!.FindRoute("customers-to-1c")!.Conflicts!;
        var toPlatform = result.Config.FindRoute("customers-to-platform")!.Conflicts!;
        Assert.That((toOnec.Key, toOnec.UpdatedAt, toOnec.Policy.Side, toOnec.Policy.Strategy, toOnec.Policy.Entity),
            Is.EqualTo(("$.id", "$.updatedAt", SyncSide.Platform, ConflictStrategy.MergeSmart, "customer")));
        Assert.That(toOnec.Policy.Fields, Is.EqualTo(new[]
        {
            new TrackedField("email", FieldSeverity.Critical), new TrackedField("inn", FieldSeverity.Critical),
            new TrackedField("phone", FieldSeverity.Warning), new TrackedField("companyName", FieldSeverity.Critical),
        }));
        Assert.That((toPlatform.UpdatedAt, toPlatform.Policy.Side, toPlatform.Policy.Strategy), Is.EqualTo(("$.changedAt", SyncSide.Onec, ConflictStrategy.ManualReview)));
        Assert.That(toPlatform.Policy.Fields[0], Is.EqualTo(new TrackedField("email", FieldSeverity.Warning)));
    }

    [Test]
    public void Without_fields_the_canonical_customers_are_compared()
    {
        var result = new ConfigWorkspace().Write("router.yaml", Config("{ side: platform, key: $.id }", "{ side: onec, key: $.id }")).Load();

        Assert.That(result.Config!.FindRoute("customers-to-1c")!.Conflicts!.Policy.Fields, Is.EqualTo(ConflictPolicy.DefaultFields));
    }

    [Test]
    public void Mistakes_are_reported_where_they_are()
    {
        var yaml = Config(
            "{ side: plaform, key: $.id, strategy: platform-wins, fields: { email: fatal } }",
            "{ key: \"$.id +\" }");

        var result = new ConfigWorkspace().Write("router.yaml", yaml).Load();

        var messages = result.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "plaform")}: error: 'side' must be one of platform, onec"));
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "platform-wins")}: error: 'strategy' must be one of platform_wins, onec_wins, merge_smart, manual_review"));
        Assert.That(messages, Has.Some.StartsWith($"{Locate("router.yaml", yaml, "fatal")}: error: 'email' must be one of critical, warning, info"));
        Assert.That(messages, Has.Some.Contains("missing required key 'side'"));
        Assert.That(messages, Has.Some.Contains("'key' is not a valid expression"));
        Assert.That(result.Config, Is.Null);
    }

    [Test]
    public void Routes_of_one_entity_must_compare_the_same_fields()
    {
        var yaml = Config("{ side: platform, key: $.id, fields: { email: critical, phone: warning } }",
            "{ side: onec, key: $.id, fields: { email: critical } }");

        var result = new ConfigWorkspace().Write("router.yaml", yaml).Load();

        Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            $"{Locate("router.yaml", yaml, "fields", after: "side: onec")}: error: routes 'customers-to-1c' and 'customers-to-platform' share the conflict " +
            "entity 'customer' but compare different fields (email, phone vs email); list the same fields on both (severities may differ)",
        }));
    }

    [Test]
    public void A_lone_direction_is_a_warning()
    {
        var yaml = Config("{ side: platform, key: $.id }", "{ side: platform, key: $.id }");

        var result = new ConfigWorkspace().Write("router.yaml", yaml).Load();

        Assert.That(result.Config, Is.Not.Null);
        Assert.That(result.Diagnostics.Single().ToString(), Does.Contain("warning: every route of the conflict entity 'customer' comes from 'platform'"));
    }
}
