using Router.Core.Config;
using Router.Core.Config.Nodes;

namespace Router.Core.Tests.Config;

public sealed class SecretHandlingTests
{
    private const string Yaml = """
        router:
          transport: { kind: rabbitmq, connection: "amqp://${env:AMQP_USER}:${env:AMQP_PASSWORD}@localhost" }
        endpoints:
          api: { kind: http, url: "${env:API_URL}", method: "${env:API_METHOD}", fallback: "${env:FALLBACK}" }
          broker: { kind: amqp, queue: q, password: hunter2 with spaces, prefetch: "${file:secrets/prefetch}" }
          missing: { kind: sms, apiKey: "${env:NOT_SET}" }
          unreadable: { kind: sms, apiKey: "${file:secrets/none.txt}" }
          typo: { kind: sms, apiKey: "${evn:SMS_KEY}" }
        routes:
          - id: r1
            from: broker
            steps:
              - regex-replace: { pattern: "${env:PATTERN}" }
            to: api
        """;

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["AMQP_USER"] = "router-user",
        ["AMQP_PASSWORD"] = "amqp-pa55word",
        ["API_URL"] = "not-an-url-but-secret-9f3",
        ["API_METHOD"] = "DELETE-secret-method",
        ["FALLBACK"] = "hidden-endpoint-77",
        ["PATTERN"] = "(unclosed-secret-pattern",
    };

    private static ConfigLoadResult Load()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", Yaml)
            .Write("secrets/prefetch", "many-secret-prefetch\n");
        foreach (var (name, value) in Environment)
        {
            workspace.Environment[name] = value;
        }
        return workspace.Load();
    }

    [Test]
    public void No_diagnostic_shows_a_secret_value()
    {
        var output = string.Join("\n", Load().Diagnostics);

        foreach (var secret in Environment.Values.Append("hunter2 with spaces").Append("many-secret-prefetch"))
        {
            Assert.That(output, Does.Not.Contain(secret));
        }
        Assert.That(output, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Problems_with_secret_values_are_still_reported_where_they_are()
    {
        var messages = Load().Diagnostics.Select(d => d.ToString()).ToList();

        string At(string needle) => ConfigWorkspace.Locate("router.yaml", Yaml, needle).ToString();
        Assert.That(messages, Has.Count.EqualTo(9));
        Assert.That(messages.SkipLast(1), Is.EqualTo(new[]
        {
            $"{At("\"${env:API_URL}")}: error: 'url' must be an absolute URL such as http://host:port/path, not a secret value",
            $"{At("\"${env:API_METHOD}")}: error: 'method' must be one of POST, PUT, not a secret value",
            $"{At("\"${env:FALLBACK}")}: error: 'fallback' names an unknown endpoint a secret value",
            $"{At("hunter2")}: error: 'password' must be text without spaces, not a secret value",
            $"{At("\"${file:secrets/prefetch}")}: error: 'prefetch' must be an integer, not a secret value",
            $"{At("\"${env:NOT_SET}")}: error: environment variable 'NOT_SET' is not set",
            $"{At("\"${file:secrets/none.txt}")}: error: secret file 'secrets/none.txt' does not exist (looked for /cfg/secrets/none.txt)",
            $"{At("\"${evn:SMS_KEY}")}: error: unknown reference '${{evn:…}}' (did you mean 'env'?): use ${{env:NAME}} or ${{file:path}}, or write $${{ for a literal ${{",
        }));
        // The last message is the factory's, which quoted the pattern (a secret) in .NET's own words.
        Assert.That(messages[^1], Does.StartWith($"{At("\"${env:PATTERN}")}: error: 'pattern' is not a valid regular expression: Invalid pattern '***'"));
    }
}

public sealed class SecretKeyNameTests
{
    [TestCase("password", true)]
    [TestCase("dbPassword", true)]
    [TestCase("clientSecret", true)]
    [TestCase("secretAccessKey", true)]
    [TestCase("accessToken", true)]
    [TestCase("apiKey", true)]
    [TestCase("Authorization", true)]
    [TestCase("entityKey", false)]
    [TestCase("user", false)]
    [TestCase("tokenUrl", false)]
    public void Key_names_that_hold_credentials_are_secret(string key, bool secret)
    {
        Assert.That(Router.Core.Config.Secrets.SecretKeys.IsSecretLike(key), Is.EqualTo(secret));
    }

    [Test]
    public void A_javascript_template_literal_is_not_a_reference()
    {
        var result = new ConfigWorkspace()
            .Write("router.yaml", "endpoints:\n  in: { kind: folder, path: ./in, entityKey: \"`order:${$.number}`\" }\n")
            .Load();

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        Assert.That(result.Config!.FindEndpoint("in")!.EntityKey, Is.EqualTo("`order:${$.number}`"));
        Assert.That(result.Config.FindEndpoint("in")!.Options.IsSecret("entityKey"), Is.False);
    }

    [Test]
    public void Inline_values_under_secret_keys_of_free_form_maps_are_flagged()
    {
        var result = new ConfigWorkspace()
            .Write("router.yaml", "endpoints:\n  api: { kind: http, url: \"http://x/\", headers: { Authorization: Basic abc, Accept: text/xml } }\n")
            .Load();

        var headers = result.Config!.FindEndpoint("api")!.Options.GetMapping("headers")!;
        Assert.That((headers.IsSecret("Authorization"), headers.IsSecret("Accept")), Is.EqualTo((true, false)));
    }
}
