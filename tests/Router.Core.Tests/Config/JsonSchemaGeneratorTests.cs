using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Router.Core.Config;

namespace Router.Core.Tests.Config;

public sealed class JsonSchemaGeneratorTests
{
    private static readonly string SchemaText =
        JsonSchemaGenerator.Generate(ConfigSchemaBuilder.Build(TestRegistries.Kinds, TestRegistries.Transformers), "Router configuration");

    /// <summary>JSON is YAML too, so the same text can go to the JSON Schema validator and to the loader.</summary>
    private const string GoodDocument = """
        {
          "include": "routes/*.yaml",
          "router": {
            "transport": { "kind": "sqlite", "durability": "normal", "lease": "30s", "pollInterval": "500ms" },
            "storage": { "kind": "sqlite", "path": "./data/router.db" },
            "http": { "listen": "http://127.0.0.1:5080" },
            "limits": { "maxMessageSize": "16MB" },
            "logging": { "level": "information", "format": "text" },
            "defaults": {
              "routeParallelism": 4,
              "deliveryParallelism": 8,
              "resilience": {
                "timeout": "30s",
                "retry": { "attempts": 4, "delay": "200ms", "backoff": "exponential", "jitter": true, "maxDelay": "30s" },
                "circuitBreaker": { "failureRatio": 0.5, "minimumThroughput": 10, "samplingDuration": "30s", "breakDuration": "5m" },
                "rateLimit": { "permitsPerSecond": 50 },
                "redelivery": { "delays": ["1m", "5m", "15m", "1h"] }
              }
            }
          },
          "endpoints": {
            "orders-inbox": { "kind": "folder", "path": "./in", "type": "order.created", "messageId": "$.number", "entityKey": "'order:' + $.number" },
            "platform": { "kind": "http", "url": "http://127.0.0.1:5090/orders", "method": "PUT",
                          "resilience": { "retry": { "attempts": 2 }, "circuitBreaker": false }, "fallback": "archive", "parallelism": 4 },
            "tick": { "kind": "schedule", "cron": "*/5 * * * *" },
            "archive": { "kind": "folder", "path": "./archive" }
          },
          "routes": [
            {
              "id": "orders",
              "from": "orders-inbox",
              "ordering": { "key": "$.number", "version": "$.version" },
              "steps": [ { "map": { "fields": { "id": "$.number" } } }, { "filter": { "when": "$.total > 0" } }, { "uppercase": null } ],
              "to": [ { "endpoint": "platform", "when": "$.total > 10" }, "archive" ]
            },
            { "id": "ticks", "from": "tick", "to": "archive" }
          ]
        }
        """;

    private const string Endpoint = "\"endpoints\": { \"a\": { \"kind\": \"folder\", \"path\": \"./a\" } }";

    private static readonly string[] BadDocuments =
    [
        "{ \"endpoints\": { \"a\": { \"kind\": \"folder\", \"path\": \"x\", \"colour\": \"red\" } } }",
        "{ \"endpoints\": { \"a\": { \"kind\": \"ftp\", \"path\": \"x\" } } }",
        "{ \"endpoints\": { \"a\": { \"kind\": \"folder\", \"url\": \"http://x/\" } } }",
        "{ \"endpoints\": { \"a\": { \"kind\": \"folder\", \"path\": \"x\", \"parallelism\": 0 } } }",
        "{ \"endpoints\": { \"a b\": { \"kind\": \"folder\", \"path\": \"x\" } } }",
        "{ \"router\": { \"transport\": { \"lease\": \"30 seconds\" } } }",
        "{ \"router\": { \"defaults\": { \"resilience\": { \"retry\": { \"backoff\": \"fibonacci\" } } } } }",
        "{ \"router\": { \"limits\": { \"maxMessageSize\": \"lots\" } } }",
        "{ " + Endpoint + ", \"routes\": [ { \"id\": \"r\", \"from\": \"a\" } ] }",
        "{ " + Endpoint + ", \"routes\": [ { \"id\": \"r\", \"from\": \"a\", \"to\": \"a\", \"steps\": [ { \"map\": { \"fields\": {} }, \"filter\": { \"when\": \"$.a\" } } ] } ] }",
        "{ " + Endpoint + ", \"routes\": [ { \"id\": \"r\", \"from\": \"a\", \"to\": \"a\", \"steps\": [ { \"explode\": {} } ] } ] }",
        "{ " + Endpoint + ", \"routes\": [ { \"id\": \"r\", \"from\": \"a\", \"to\": [ { \"when\": \"$.a\" } ] } ] }",
        "{ \"routes\": { \"id\": \"r\" } }",
    ];

    private static bool SchemaAccepts(string document)
    {
        var schema = JsonSchema.FromText(SchemaText);
        using var json = JsonDocument.Parse(document);
        return schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
    }

    private static ConfigLoadResult LoadWithLoader(string document) =>
        new ConfigWorkspace().Write("router.yaml", document).Write("routes/more.yaml", "routes: []\n").Load();

    [Test]
    public void The_schema_is_draft_2020_12_json_and_ends_with_a_newline()
    {
        var json = JsonNode.Parse(SchemaText)!;

        Assert.That(json["$schema"]!.GetValue<string>(), Is.EqualTo("https://json-schema.org/draft/2020-12/schema"));
        Assert.That(json["title"]!.GetValue<string>(), Is.EqualTo("Router configuration"));
        Assert.That(json["additionalProperties"]!.GetValue<bool>(), Is.False);
        Assert.That(SchemaText, Does.EndWith("}\n").And.Not.Contain("\r"));
    }

    [Test]
    public void The_schema_lists_the_registered_kinds_and_transformers()
    {
        var json = JsonNode.Parse(SchemaText)!;
        var endpoint = json["properties"]!["endpoints"]!["additionalProperties"]!;
        var step = json["properties"]!["routes"]!["items"]!["properties"]!["steps"]!["items"]!;

        Assert.That(endpoint["properties"]!["kind"]!["enum"]!.AsArray().Select(k => k!.GetValue<string>()),
            Is.EqualTo(new[] { "amqp", "folder", "http", "schedule", "sms", "webhook" }));
        Assert.That(endpoint["allOf"]!.AsArray().Select(b => b!["if"]!["properties"]!["kind"]!["const"]!.GetValue<string>()),
            Is.EqualTo(new[] { "amqp", "folder", "http", "schedule", "sms", "webhook" }));
        Assert.That(step["properties"]!.AsObject().Select(p => p.Key),
            Is.EqualTo(new[] { "filter", "map", "regex-replace", "template", "uppercase" }));
        Assert.That(step["maxProperties"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(json["$defs"]!["resilience"], Is.Not.Null, "resilience is shared by the defaults and every endpoint");
    }

    [Test]
    public void Generating_twice_gives_the_same_text()
    {
        var again = JsonSchemaGenerator.Generate(ConfigSchemaBuilder.Build(TestRegistries.Kinds, TestRegistries.Transformers), "Router configuration");

        Assert.That(again, Is.EqualTo(SchemaText));
    }

    [Test]
    public void A_known_good_document_is_valid_for_the_schema_and_for_the_loader()
    {
        var result = LoadWithLoader(GoodDocument);

        Assert.That(SchemaAccepts(GoodDocument), Is.True);
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
    }

    [TestCaseSource(nameof(BadDocuments))]
    public void A_known_bad_document_is_rejected_by_the_schema_and_by_the_loader(string document)
    {
        Assert.That(SchemaAccepts(document), Is.False);
        Assert.That(LoadWithLoader(document).HasErrors, Is.True);
    }
}
