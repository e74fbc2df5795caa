using Router.Core.Config;
using Router.Core.Config.Model;
using Router.Core.Config.Nodes;

namespace Router.Core.Tests.Config;

public sealed class ValidConfigBindingTests
{
    private const string Main = """
        include: [ "routes/*.yaml", "endpoints/partners.yaml" ]
        router:
          transport: { kind: sqlite, durability: full, lease: 45s }
          storage: { kind: sqlite, path: ./state/router.db }
          http: { listen: "http://127.0.0.1:5080" }
          limits: { maxMessageSize: 2MB }
          logging: { level: debug, format: json }
          defaults:
            routeParallelism: 3
            resilience:
              timeout: 10s
              retry: { attempts: 5, delay: 100ms, backoff: linear }
              circuitBreaker: { failureRatio: 0.25, breakDuration: 1m }
              redelivery: { delays: [30s, 2m] }
        endpoints:
          orders-inbox: { kind: folder, path: ./data/inbox/orders, type: order.created, messageId: $.number, entityKey: "'order:' + $.number" }
          platform:
            kind: http
            url: ${env:PLATFORM_URL}
            token: ${file:secrets/platform.token}
            resilience: { retry: { attempts: 2 }, circuitBreaker: false }
            fallback: archive
            parallelism: 4
          archive: { kind: folder, path: ./data/archive, description: "costs $${HOME} nothing" }
        """;

    private const string Partners = """
        endpoints:
          sms: { kind: sms, apiKey: "${env:SMS_KEY}", sender: Shop }
          broker: { kind: amqp, queue: orders, password: inline-pass }
        """;

    private const string OrderRoutes = """
        routes:
          - id: orders-to-platform
            description: Orders from the folder to the platform
            from: orders-inbox
            ordering: { key: $.number, version: $.version }
            parallelism: 2
            steps:
              - map: { fields: { id: $.number } }
              - filter: { when: "$.total > 0" }
              - uppercase:
            to: [ { endpoint: platform }, { endpoint: sms, when: "$.customer.phone != null" }, archive ]
        """;

    private const string ArchiveRoutes = """
        routes:
          - id: archive-copy
            from: orders-inbox
            type: order.updated
            to: archive
        """;

    private static ConfigLoadResult LoadSample()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", Main)
            .Write("endpoints/partners.yaml", Partners)
            .Write("routes/orders.yaml", OrderRoutes)
            .Write("routes/archive.yaml", ArchiveRoutes)
            .Write("routes/notes.txt", "not yaml: [")
            .Write("secrets/platform.token", "tok-123456\n");
        workspace.Environment["PLATFORM_URL"] = "http://platform.local:5090/orders";
        workspace.Environment["SMS_KEY"] = "sms-key-987";
        return workspace.Load();
    }

    [Test]
    public void A_valid_configuration_loads_without_diagnostics()
    {
        var result = LoadSample();

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        Assert.That(result.Config, Is.Not.Null);
    }

    [Test]
    public void Includes_are_read_after_the_main_file_and_globs_match_only_their_pattern()
    {
        var config = LoadSample().Config!;

        Assert.That(config.FilePath, Is.EqualTo("/cfg/router.yaml"));
        Assert.That(config.BaseDirectory, Is.EqualTo("/cfg"));
        Assert.That(config.Files, Is.EqualTo(new[]
        {
            "/cfg/router.yaml", "/cfg/routes/archive.yaml", "/cfg/routes/orders.yaml", "/cfg/endpoints/partners.yaml",
        }));
        Assert.That(config.Endpoints.Select(e => e.Id), Is.EqualTo(new[] { "orders-inbox", "platform", "archive", "sms", "broker" }));
        Assert.That(config.Routes.Select(r => r.Id), Is.EqualTo(new[] { "archive-copy", "orders-to-platform" }));
    }

    [Test]
    public void Router_settings_take_what_is_written_and_defaults_for_the_rest()
    {
        var router = LoadSample().Config!.Router;

        Assert.That(router.Storage, Is.EqualTo(new StorageSettings { Kind = "sqlite", Path = "./state/router.db" }));
        Assert.That(router.Transport.Path, Is.EqualTo("./state/router.db"), "the transport shares the storage file unless told otherwise");
        Assert.That(router.Transport.Durability, Is.EqualTo(Durability.Full));
        Assert.That(router.Transport.Lease, Is.EqualTo(TimeSpan.FromSeconds(45)));
        Assert.That(router.Transport.PollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(router.Http.Listen, Is.EqualTo("http://127.0.0.1:5080"));
        Assert.That(router.Limits.MaxMessageSize, Is.EqualTo(2 * 1024 * 1024));
        Assert.That(router.Logging, Is.EqualTo(new LoggingSettings { Level = "debug", Format = "json" }));
        Assert.That(router.Defaults.RouteParallelism, Is.EqualTo(3));
        Assert.That(router.Defaults.DeliveryParallelism, Is.EqualTo(8));
    }

    [Test]
    public void Default_resilience_is_merged_over_the_built_in_defaults()
    {
        var resilience = LoadSample().Config!.Router.Defaults.Resilience;

        Assert.That(resilience.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(resilience.Retry, Is.EqualTo(new RetrySettings
        {
            Attempts = 5, Delay = TimeSpan.FromMilliseconds(100), Backoff = BackoffKind.Linear, Jitter = true, MaxDelay = TimeSpan.FromSeconds(30),
        }));
        Assert.That(resilience.CircuitBreaker, Is.EqualTo(new CircuitBreakerSettings
        {
            FailureRatio = 0.25, MinimumThroughput = 10, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromMinutes(1),
        }));
        Assert.That(resilience.Redelivery.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2) }));
        Assert.That(resilience.RateLimit, Is.Null);
    }

    [Test]
    public void Endpoint_resilience_is_merged_over_the_defaults_key_by_key()
    {
        var config = LoadSample().Config!;
        var platform = config.FindEndpoint("platform")!;
        var archive = config.FindEndpoint("archive")!;

        Assert.That(platform.Resilience.Retry.Attempts, Is.EqualTo(2));
        Assert.That(platform.Resilience.Retry.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(100)), "inherited from the defaults");
        Assert.That(platform.Resilience.Retry.Backoff, Is.EqualTo(BackoffKind.Linear), "inherited from the defaults");
        Assert.That(platform.Resilience.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(platform.Resilience.CircuitBreaker, Is.Null, "circuitBreaker: false disables it");
        Assert.That(archive.Resilience, Is.EqualTo(config.Router.Defaults.Resilience));
    }

    [Test]
    public void Endpoints_carry_their_common_keys_and_the_whole_mapping_as_options()
    {
        var config = LoadSample().Config!;
        var inbox = config.FindEndpoint("orders-inbox")!;
        var platform = config.FindEndpoint("platform")!;

        Assert.That(inbox.Kind, Is.EqualTo("folder"));
        Assert.That(inbox.MessageType, Is.EqualTo("order.created"));
        Assert.That(inbox.MessageId, Is.EqualTo("$.number"));
        Assert.That(inbox.EntityKey, Is.EqualTo("'order:' + $.number"));
        Assert.That(inbox.Parallelism, Is.Null);
        Assert.That(inbox.Options.GetString("path"), Is.EqualTo("./data/inbox/orders"), "paths are kept as written");
        Assert.That(inbox.Mark, Is.EqualTo(new SourceMark("/cfg/router.yaml", 16, 17)));
        Assert.That(platform.Fallback, Is.EqualTo("archive"));
        Assert.That(platform.Parallelism, Is.EqualTo(4));
        Assert.That(config.FindEndpoint("archive")!.Description, Is.EqualTo("costs ${HOME} nothing"), "$${ is a literal ${");
    }

    [Test]
    public void Secret_references_are_resolved_and_flagged()
    {
        var config = LoadSample().Config!;
        var platform = config.FindEndpoint("platform")!.Options;
        var sms = config.FindEndpoint("sms")!.Options;
        var broker = config.FindEndpoint("broker")!.Options;

        Assert.That(platform.GetString("url"), Is.EqualTo("http://platform.local:5090/orders"));
        Assert.That(platform.GetString("token"), Is.EqualTo("tok-123456"), "one trailing newline of a secret file is dropped");
        Assert.That(sms.GetString("apiKey"), Is.EqualTo("sms-key-987"));
        Assert.That(platform.IsSecret("url") && platform.IsSecret("token") && sms.IsSecret("apiKey"), Is.True);
        Assert.That(broker.IsSecret("password"), Is.True, "an inline value under a secret-like key");
        Assert.That(broker.IsSecret("queue") || sms.IsSecret("sender"), Is.False);
        Assert.That(broker["password"]!.ToString(), Is.EqualTo("***"));
    }

    [Test]
    public void Routes_bind_steps_destinations_and_ordering()
    {
        var config = LoadSample().Config!;
        var route = config.FindRoute("orders-to-platform")!;
        var copy = config.FindRoute("archive-copy")!;

        Assert.That(route.Description, Is.EqualTo("Orders from the folder to the platform"));
        Assert.That(route.From, Is.EqualTo("orders-inbox"));
        Assert.That(route.Ordering, Is.EqualTo(new OrderingDefinition("$.number", "$.version")));
        Assert.That(route.Parallelism, Is.EqualTo(2));
        Assert.That(route.Steps.Select(s => s.Transformer), Is.EqualTo(new[] { "map", "filter", "uppercase" }));
        Assert.That(((ConfigMapping)route.Steps[0].Options).GetMapping("fields")!.GetString("id"), Is.EqualTo("$.number"));
        Assert.That(route.Steps[2].Options, Is.InstanceOf<ConfigMapping>().And.Property("Entries").Empty, "a step without options gets an empty mapping");
        Assert.That(route.To.Select(t => (t.Endpoint, t.When)), Is.EqualTo(new[]
        {
            ("platform", (string?)null), ("sms", "$.customer.phone != null"), ("archive", null),
        }));
        Assert.That(route.Mark.File, Is.EqualTo("/cfg/routes/orders.yaml"));
        Assert.That(copy.To.Single().Endpoint, Is.EqualTo("archive"), "a single destination may be written without brackets");
        Assert.That(copy.MessageType, Is.EqualTo("order.updated"));
        Assert.That(copy.Steps, Is.Empty);
    }

    [Test]
    public void An_empty_main_file_gives_the_built_in_defaults()
    {
        var result = new ConfigWorkspace().Write("router.yaml", "").Load();

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Config!.Router, Is.EqualTo(new RouterSettings
        {
            Transport = new TransportSettings { Path = new StorageSettings().Path },
        }).UsingPropertiesComparer());
        Assert.That(result.Config.Endpoints, Is.Empty);
    }
}
