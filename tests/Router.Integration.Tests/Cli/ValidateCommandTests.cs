using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Cli;

public sealed class ValidateCommandTests
{
    [Test]
    public async Task Every_mistake_is_reported_at_once_with_its_line_and_column()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(path, """
            router:
              transport: { kind: sqlite, durabilty: full }
              defaults:
                resilience: { timeout: 30 seconds, retry: { attempts: many } }
            endpoints:
              inbox: { kind: folder, path: ./in, type: order.creatd }
              platform: { kind: htp, url: http://127.0.0.1:5090/x }
              archive: { kind: folder, path: ./out, parallelism: { n: 2 } }
              archive: { kind: folder, path: ./out2 }
            routes:
              - id: orders
                from: inboks
                messageId: "$.number +"
                steps:
                  - mapp: { fields: { a: $.b } }
                to: [ platform, nowhere ]
              - from: inbox
                to: [ archive ]
            """);

        var result = await Support.Cli.RunAsync("validate", "--config", path);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Expect(lines, path, 2, "durabilty", "did you mean 'durability'");
            Expect(lines, path, 4, "timeout", "duration");
            Expect(lines, path, 4, "attempts", "integer");
            Expect(lines, path, 6, "order.creatd", "order.created");
            Expect(lines, path, 7, "htp", "http");
            Expect(lines, path, 8, "parallelism", "integer");
            Expect(lines, path, 9, "archive", "duplicate");
            Expect(lines, path, 12, "inboks", "inbox");
            Expect(lines, path, 13, "messageId", "not a valid expression");
            Expect(lines, path, 15, "mapp", "map");
            Expect(lines, path, 16, "nowhere", "");
            Expect(lines, path, 17, "id", "required");
        });
        Assert.That(lines, Has.Count.GreaterThanOrEqualTo(12), result.Out);
    }

    [Test]
    public async Task The_shipped_configurations_are_valid()
    {
        var files = new[] { Path.Combine(RepositoryPaths.Config, "router.yaml") }
            .Concat(Directory.Exists(Path.Combine(RepositoryPaths.Config, "examples"))
                ? Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "examples"), "*.yaml")
                : []);
        // Production examples name their secrets (${env:ROUTER_AMQP}…); validating them needs those set, to anything.
        var placeholders = files
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}"))
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .Where(name => Environment.GetEnvironmentVariable(name) is null)
            .ToList();
        try
        {
            placeholders.ForEach(name => Environment.SetEnvironmentVariable(name, "placeholder-secret"));
            foreach (var file in files)
            {
                var result = await Support.Cli.RunAsync("validate", "--config", file);
                Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
                Assert.That(result.Out, Does.Contain("valid"));
            }
        }
        finally
        {
            placeholders.ForEach(name => Environment.SetEnvironmentVariable(name, null));
        }
    }

    [Test]
    public async Task The_production_example_is_valid_runs_on_rabbitmq_and_postgresql_and_names_its_secrets_only_by_reference()
    {
        var file = Path.Combine(RepositoryPaths.Config, "examples", "production.yaml");
        var yaml = await File.ReadAllTextAsync(file);
        var names = System.Text.RegularExpressions.Regex.Matches(yaml, @"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.That(names, Is.SupersetOf(new[] { "ROUTER_AMQP", "ROUTER_PG", "PLATFORM_TOKEN", "ONEC_FTP_PASSWORD" }));
        // Realistic values, each one distinctive, so the output can be searched for any of them leaking.
        var values = names.ToDictionary(n => n, n => n switch
        {
            "ROUTER_AMQP" or "PLATFORM_AMQP" => $"amqp://router:secret-{n}@rabbit.local:5672/router",
            "ROUTER_PG" => "Host=db.local;Database=router;Username=router;Password=secret-ROUTER_PG",
            _ when n.EndsWith("_URL", StringComparison.Ordinal) && n.StartsWith("PLATFORM", StringComparison.Ordinal) => "https://api.shop.example/v1/orders",
            "ONEC_FTP_URL" => "ftp://1c.example.local:21/",
            _ => $"secret-{n}",
        });
        var previous = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
            var result = await Support.Cli.RunAsync("validate", "--config", file);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.Out, Does.Contain("valid"));
            foreach (var secret in values.Values.Where(v => v.Contains("secret-", StringComparison.Ordinal)))
            {
                var word = secret[secret.IndexOf("secret-", StringComparison.Ordinal)..].Split('@', ';')[0];
                Assert.That(result.Out + result.Error, Does.Not.Contain(word), "a secret was printed");
            }
            var routes = await Support.Cli.RunAsync("routes", "--config", file);
            Assert.That(routes.ExitCode, Is.EqualTo(0), routes.ToString());
            Assert.That(routes.Out, Does.Contain("orders-from-platform").And.Contain("catalog-from-1c"), routes.Out);
        }
        finally
        {
            foreach (var (name, value) in previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
        Assert.That(yaml, Does.Match(@"transport:\s+kind: rabbitmq"));
        Assert.That(yaml, Does.Match(@"queues: quorum"));
        Assert.That(yaml, Does.Match(@"storage:\s+kind: postgresql"));
    }

    [Test]
    public async Task The_committed_json_schema_is_the_one_the_validator_uses()
    {
        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Config, "router.schema.json"));
        Assert.That(committed, Is.EqualTo(Router.Host.Cli.SchemaCommand.Generate()),
            "config/router.schema.json is out of date: regenerate it with ./router schema > config/router.schema.json");
    }

    [Test]
    public async Task A_missing_config_file_is_invalid_input()
    {
        var result = await Support.Cli.RunAsync("validate", "--config", "/nonexistent/router.yaml");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out + result.Error, Does.Contain("/nonexistent/router.yaml"));
    }

    [Test]
    public async Task An_unknown_verb_or_option_is_invalid_input()
    {
        Assert.That((await Support.Cli.RunAsync("frobnicate")).ExitCode, Is.EqualTo(2));
        Assert.That((await Support.Cli.RunAsync("validate", "--no-such-option")).ExitCode, Is.EqualTo(2));
    }

    private static void Expect(IReadOnlyList<string> lines, string file, int line, string mentions, string alsoMentions)
    {
        var prefix = $"{file}:{line}:";
        var match = lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(mentions, StringComparison.Ordinal)
            && l.Contains(alsoMentions, StringComparison.OrdinalIgnoreCase));
        Assert.That(match, Is.Not.Null, $"expected an error at line {line} about '{mentions}' ({alsoMentions}); got:\n{string.Join("\n", lines)}");
    }
}
