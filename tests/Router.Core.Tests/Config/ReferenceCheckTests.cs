using Router.Core.Config;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Config;

public sealed class ReferenceCheckTests
{
    private static IReadOnlyList<string> Messages(string yaml) =>
        new ConfigWorkspace().Write("router.yaml", yaml).Load().Diagnostics.Select(d => d.ToString()).ToList();

    [Test]
    public void Routes_read_from_endpoints_that_receive_and_deliver_to_endpoints_that_send()
    {
        const string yaml = """
            endpoints:
              hook: { kind: webhook, path: /orders }
              api: { kind: http, url: "http://x/" }
            routes:
              - { id: wrong-way, from: api, to: [ hook, { endpoint: hook, when: $.a } ] }
            """;

        Assert.That(Messages(yaml), Is.EqualTo(new[]
        {
            $"{Locate("router.yaml", yaml, "api", "from:")}: error: 'api' is a 'http' endpoint, which cannot receive messages; 'from' needs one that can",
            $"{Locate("router.yaml", yaml, "hook", "to:")}: error: 'hook' is a 'webhook' endpoint, which cannot send messages; deliveries need one that can",
            $"{Locate("router.yaml", yaml, "hook", "endpoint:")}: error: 'hook' is a 'webhook' endpoint, which cannot send messages; deliveries need one that can",
        }));
    }

    [Test]
    public void Fallbacks_may_not_loop_or_lead_to_an_endpoint_that_cannot_send()
    {
        const string yaml = """
            endpoints:
              self: { kind: http, url: "http://s/", fallback: self }
              a: { kind: http, url: "http://a/", fallback: b }
              b: { kind: http, url: "http://b/", fallback: c }
              c: { kind: http, url: "http://c/", fallback: a }
              d: { kind: http, url: "http://d/", fallback: a }
              hook: { kind: webhook, path: /x, fallback: a }
              e: { kind: http, url: "http://e/", fallback: hook }
            """;

        Assert.That(Messages(yaml), Is.EqualTo(new[]
        {
            $"{Locate("router.yaml", yaml, "self }")}: error: endpoint 'self' falls back to itself",
            $"{Locate("router.yaml", yaml, "b }")}: error: fallback cycle: a → b → c → a",
            $"{Locate("router.yaml", yaml, "fallback", "hook:")}: error: 'fallback' applies to endpoints that send, and 'webhook' endpoints only receive",
            $"{Locate("router.yaml", yaml, "hook }")}: error: 'hook' is a 'webhook' endpoint, which cannot send messages; deliveries need one that can",
        }));
    }

    [Test]
    public void Server_transports_and_stores_need_a_connection()
    {
        const string yaml = """
            router:
              transport: { kind: rabbitmq }
              storage: { kind: sqlite, connection: "Host=x" }
            """;

        Assert.That(Messages(yaml), Is.EqualTo(new[]
        {
            "/cfg/router.yaml:2:14: error: transport kind 'rabbitmq' needs 'connection' (e.g. connection: ${env:ROUTER_RABBITMQ})",
            "/cfg/router.yaml:3:28: error: 'connection' is for rabbitmq and postgresql; storage kind 'sqlite' does not use it",
        }));
    }

    [Test]
    public void Errors_thrown_by_transformer_factories_are_reported_with_the_rest()
    {
        const string yaml = """
            endpoints:
              in: { kind: folder, path: ./in }
            routes:
              - id: r
                from: in
                steps:
                  - regex-replace: { pattern: "a(b" }
                  - template: { file: templates/missing.txt }
                  - template: { file: templates/present.txt }
                  - regex-replace: { pattern: 5, replacement: { not: text } }
                to: in
            """;
        var workspace = new ConfigWorkspace().Write("router.yaml", yaml).Write("templates/present.txt", "hello");

        var messages = workspace.Load().Diagnostics.Select(d => d.ToString()).ToList();

        Assert.That(messages, Has.Count.EqualTo(3));
        Assert.That(messages[0], Does.StartWith($"{Locate("router.yaml", yaml, "\"a(b\"")}: error: 'pattern' is not a valid regular expression: "));
        Assert.That(messages.Skip(1), Is.EqualTo(new[]
        {
            $"{Locate("router.yaml", yaml, "templates/missing.txt")}: error: template file 'templates/missing.txt' does not exist",
            // Options that fail the schema are not passed to the factory: only the schema's message appears.
            $"{Locate("router.yaml", yaml, "{ not: text }")}: error: 'replacement' must be text, not a mapping",
        }));
    }

    [Test]
    public void Every_step_with_valid_options_is_built_once_while_loading()
    {
        var map = new FakeTransformerFactory("map", new Router.Core.Config.Schema.AnySchema());
        var loader = new ConfigLoader(TestRegistries.Kinds, new Router.Core.Transformers.TransformerRegistry([map]),
            new ConfigWorkspace().Write("router.yaml", """
                endpoints: { in: { kind: folder, path: ./in } }
                routes:
                  - { id: a, from: in, steps: [ { map: { x: 1 } }, { map: {} } ], to: in }
                """).Files, _ => null);

        var result = loader.Load("/cfg/router.yaml");

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(map.Created, Is.EqualTo(2));
    }
}

public sealed class ScalarFormatTests
{
    private static IReadOnlyList<string> Messages(string yaml) =>
        new ConfigWorkspace().Write("router.yaml", yaml).Load().Diagnostics.Select(d => d.Message).ToList();

    [TestCase("*/5 * * * *")]
    [TestCase("0 */10 * * * *")]
    [TestCase("0 3 * * MON-FRI")]
    [TestCase("@daily")]
    public void Cron_expressions_with_five_or_six_fields_are_accepted(string cron)
    {
        Assert.That(Messages($"endpoints:\n  t: {{ kind: schedule, cron: \"{cron}\" }}\n"), Is.Empty);
    }

    [Test]
    public void A_cron_field_out_of_range_is_reported_with_the_parsers_reason()
    {
        Assert.That(Messages("endpoints:\n  t: { kind: schedule, cron: \"99 * * * *\" }\n").Single(), Does.StartWith("'cron' is not a valid cron expression: "));
    }

    [TestCase("maxMessageSize: 10MB", true)]
    [TestCase("maxMessageSize: 512KiB", true)]
    [TestCase("maxMessageSize: ten", false)]
    public void Sizes_are_checked(string line, bool valid)
    {
        Assert.That(Messages($"router:\n  limits: {{ {line} }}\n"), valid ? Is.Empty : Has.One.StartsWith("'maxMessageSize' must be a size"));
    }
}
