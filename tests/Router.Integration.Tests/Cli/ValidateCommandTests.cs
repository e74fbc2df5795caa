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
