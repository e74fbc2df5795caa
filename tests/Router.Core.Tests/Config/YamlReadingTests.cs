using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Yaml;

namespace Router.Core.Tests.Config;

public sealed class YamlReadingTests
{
    private static ConfigLoadResult Load(string yaml) => new ConfigWorkspace().Write("router.yaml", yaml).Load();

    private static IReadOnlyList<string> Messages(string yaml) => Load(yaml).Diagnostics.Select(d => d.ToString()).ToList();

    [Test]
    public void A_syntax_error_is_reported_at_its_position()
    {
        const string yaml = """
            endpoints:
              inbox:
                kind: folder
               path: ./in
            """;

        Assert.That(Messages(yaml), Is.EqualTo(new[]
        {
            "/cfg/router.yaml:4:4: error: YAML syntax error: While parsing a block mapping, did not find expected key.",
        }));
    }

    [Test]
    public void An_unclosed_flow_collection_is_reported_near_where_parsing_stopped()
    {
        var messages = Messages("endpoints: { a: { kind: folder, path: x }\nroutes: []\n");

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Does.StartWith("/cfg/router.yaml:").And.Contains("error: YAML syntax error"));
    }

    [Test]
    public void A_syntax_error_in_one_file_does_not_hide_problems_in_the_others()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: [a.yaml, b.yaml]\n")
            .Write("a.yaml", "endpoints:\n  x: { kind: folder, path: 'unterminated }\n")
            .Write("b.yaml", "endpoints:\n  y: { kind: folder, pth: ./y }\n");

        var messages = workspace.Load().Diagnostics.Select(d => d.ToString()).ToList();

        Assert.That(messages, Has.Count.EqualTo(3));
        Assert.That(messages[0], Does.StartWith("/cfg/a.yaml:2:").And.Contains("YAML syntax error"));
        Assert.That(messages[1], Is.EqualTo("/cfg/b.yaml:2:6: error: missing required key 'path' in 'y'"));
        Assert.That(messages[2], Is.EqualTo("/cfg/b.yaml:2:22: error: unknown key 'pth' in 'y' (did you mean 'path'?)"));
    }

    [Test]
    public void A_duplicate_key_points_at_the_second_and_names_the_line_of_the_first()
    {
        const string yaml = """
            router:
              logging: { level: debug }
              logging: { level: error }
            """;

        Assert.That(Messages(yaml), Is.EqualTo(new[] { "/cfg/router.yaml:3:3: error: duplicate key 'logging' (first at line 2)" }));
    }

    [Test]
    public void Anchors_aliases_and_merge_keys_are_resolved()
    {
        const string yaml = """
            endpoints:
              base: &http { kind: http, url: "http://a.local/", resilience: &retry { retry: { attempts: 7 } } }
              copy:
                <<: *http
                url: "http://b.local/"
              other: { kind: http, url: "http://c.local/", resilience: *retry }
            """;

        var result = Load(yaml);

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        var copy = result.Config!.FindEndpoint("copy")!;
        Assert.That(copy.Kind, Is.EqualTo("http"));
        Assert.That(copy.Options.GetString("url"), Is.EqualTo("http://b.local/"), "a key written in the mapping wins over a merged one");
        Assert.That(copy.Resilience.Retry.Attempts, Is.EqualTo(7));
        Assert.That(result.Config.FindEndpoint("other")!.Resilience.Retry.Attempts, Is.EqualTo(7));
    }

    [Test]
    public void An_alias_without_an_anchor_is_an_error()
    {
        Assert.That(Messages("endpoints:\n  a: *nothing\n"), Does.Contain("/cfg/router.yaml:2:6: error: alias '*nothing' refers to no anchor ('&nothing') defined before it"));
    }

    [Test]
    public void An_alias_bomb_is_refused_instead_of_expanded()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 9; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var messages = Messages(string.Join("\n", lines) + "\n");

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Does.Match(@"^/cfg/router\.yaml:\d+:\d+: error: the file expands to more than 100000 values"));
    }

    [Test]
    public void Deep_nesting_is_refused()
    {
        var yaml = "x: " + new string('[', 100) + new string(']', 100) + "\n";

        Assert.That(Messages(yaml).Single(), Does.EndWith("error: values are nested more than 64 levels deep"));
    }

    [Test]
    public void A_file_over_the_size_limit_is_not_read()
    {
        var workspace = new ConfigWorkspace().Write("router.yaml", "router: {}\n" + new string('#', 2000) + "\n");
        var loader = workspace.Loader();
        var limited = new ConfigLoader(TestRegistries.Kinds, TestRegistries.Transformers, workspace.Files, _ => null)
        {
            Limits = YamlLimits.Default with { MaxFileBytes = 1024 },
        };

        Assert.That(loader.Load("/cfg/router.yaml").Diagnostics, Is.Empty);
        Assert.That(limited.Load("/cfg/router.yaml").Diagnostics.Single().ToString(),
            Is.EqualTo("/cfg/router.yaml:1:1: error: the file is larger than 1024 bytes; is it really the configuration?"));
    }

    [Test]
    public void A_missing_main_file_is_a_diagnostic_not_an_exception()
    {
        var result = new ConfigWorkspace().Load("nowhere.yaml");

        Assert.That(result.Config, Is.Null);
        Assert.That(result.Diagnostics.Single().ToString(), Is.EqualTo("/cfg/nowhere.yaml:1:1: error: the file does not exist (looked for /cfg/nowhere.yaml)"));
    }

    [Test]
    public void Custom_tags_and_second_documents_are_reported()
    {
        var messages = Messages("endpoints: !include endpoints.yaml\n---\nroutes: []\n");

        Assert.That(messages, Is.EqualTo(new[]
        {
            "/cfg/router.yaml:1:12: error: YAML tag '!include' is not supported (to read other files, use 'include:' at the top of the main file)",
            "/cfg/router.yaml:1:12: error: 'endpoints' must be a mapping, not 'endpoints.yaml'",
            "/cfg/router.yaml:2:1: error: a second YAML document ('---') is not read; put everything in one document or use 'include:'",
        }));
    }

    [Test]
    public void Null_spellings_and_quoting_are_told_apart()
    {
        var workspace = new ConfigWorkspace().Write("x.yaml", "a: ~\nb: null\nc:\nd: 'null'\ne: ''\nf: !!str 5\ng: 5\n");
        var diagnostics = new DiagnosticBag();
        var reader = new YamlConfigReader(workspace.Files, new Router.Core.Config.Secrets.SecretReferenceResolver(workspace.Files, _ => null),
            new Router.Core.Config.Secrets.SecretRedactor(), diagnostics, YamlLimits.Default);

        var root = (ConfigMapping)reader.Read("x.yaml", "/cfg/x.yaml")!.Root;
        ConfigScalar Scalar(string key) => (ConfigScalar)root[key]!;

        Assert.That(diagnostics.ErrorCount, Is.Zero);
        Assert.That(new[] { "a", "b", "c" }.Select(k => Scalar(k).IsNull), Is.All.True);
        Assert.That((Scalar("d").Value, Scalar("d").IsQuoted), Is.EqualTo(("null", true)));
        Assert.That((Scalar("e").Value, Scalar("e").IsQuoted), Is.EqualTo(("", true)));
        Assert.That((Scalar("f").Value, Scalar("f").IsQuoted), Is.EqualTo(("5", true)), "!!str makes a plain scalar text");
        Assert.That((Scalar("g").Value, Scalar("g").IsQuoted), Is.EqualTo(("5", false)));
        Assert.That(Scalar("g").Mark, Is.EqualTo(new SourceMark("x.yaml", 7, 4)));
        Assert.That(root.KeyNode("g")!.Mark, Is.EqualTo(new SourceMark("x.yaml", 7, 1)));
    }

    [Test]
    public void A_quoted_number_is_not_an_integer()
    {
        Assert.That(Messages("endpoints:\n  c: { kind: amqp, queue: q, prefetch: \"5\" }\n"), Is.EqualTo(new[]
        {
            "/cfg/router.yaml:2:40: error: 'prefetch' must be an integer, not text (remove the quotes)",
        }));
    }
}
