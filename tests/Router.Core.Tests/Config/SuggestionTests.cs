using Router.Core.Config.Validation;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Config;

public sealed class SuggestionTests
{
    [TestCase("paralelism", "parallelism")]
    [TestCase("platfrom", "platform")]
    [TestCase("Parallelism", "parallelism")]
    [TestCase("order.create", "order.created")]
    public void A_near_miss_suggests_the_intended_name(string written, string intended)
    {
        Assert.That(Suggestions.Closest(written, ["description", "parallelism", "platform", "order.created", "fallback"]), Is.EqualTo(intended));
    }

    [TestCase("colour")]
    [TestCase("x")]
    public void Nothing_is_suggested_for_an_unrelated_name(string written)
    {
        Assert.That(Suggestions.Closest(written, ["parallelism", "fallback", "description"]), Is.Null);
    }

    private const string Typos = """
        router:
          logging: { level: informaton }
        endpoints:
          orders: { kind: folder, path: ./in, paralelism: 2 }
          platform: { kind: http, url: http://x, fallbak: orders, method: PSOT }
        routes:
          - id: r1
            from: orders
            steps:
              - fitler: { when: $.a }
            to: [ platfrom ]
            descripton: typo
        """;

    [Test]
    public void Keys_references_transformers_and_enum_values_get_a_did_you_mean()
    {
        var messages = new ConfigWorkspace().Write("router.yaml", Typos).Load().Diagnostics.Select(d => d.ToString()).ToList();

        string At(string needle) => Locate("router.yaml", Typos, needle).ToString();
        Assert.That(messages, Is.EqualTo(new[]
        {
            $"{At("informaton")}: error: 'level' must be one of verbose, debug, information, warning, error, not 'informaton' (did you mean 'information'?)",
            $"{At("paralelism")}: error: unknown key 'paralelism' in 'orders' (did you mean 'parallelism'?)",
            $"{At("fallbak")}: error: unknown key 'fallbak' in 'platform' (did you mean 'fallback'?)",
            $"{At("PSOT")}: error: 'method' must be one of POST, PUT, not 'PSOT' (did you mean 'POST'?)",
            $"{At("fitler")}: error: unknown transformer 'fitler' (did you mean 'filter'?)",
            $"{At("platfrom")}: error: item 1 of 'to' names an unknown endpoint 'platfrom' (did you mean 'platform'?)",
            $"{At("descripton")}: error: unknown key 'descripton' in item 1 of 'routes' (did you mean 'description'?)",
        }));
    }

    [Test]
    public void An_unknown_key_without_a_close_match_lists_the_keys_that_are_allowed()
    {
        var result = new ConfigWorkspace().Write("router.yaml", "router:\n  http: { port: 5080 }\n").Load();

        Assert.That(result.Diagnostics.Single().ToString(), Is.EqualTo("/cfg/router.yaml:2:11: error: unknown key 'port' in 'http' (expected one of: listen)"));
    }
}
