using System.IO.Abstractions.TestingHelpers;
using System.Text.RegularExpressions;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Http;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests;

public sealed class EndpointKindTests
{
    private static readonly string[] CommonKeys = ["kind", "description", "resilience", "fallback", "parallelism", "type", "messageId", "entityKey"];

    [Test]
    public void The_generic_kinds_are_folder_and_rabbitmq_both_ways_and_http_outbound()
    {
        Assert.That(GenericEndpoints.All.Select(k => (k.Kind, k.Directions)), Is.EqualTo(new[]
        {
            ("folder", EndpointDirections.Both),
            ("http", EndpointDirections.Outbound),
            ("rabbitmq", EndpointDirections.Both),
        }));
        Assert.That(() => new EndpointKindRegistry(GenericEndpoints.All), Throws.Nothing);
    }

    [Test]
    public void Option_schemas_describe_every_option_and_leave_the_common_keys_to_the_config_schema()
    {
        foreach (var kind in GenericEndpoints.All.Concat(Router.Endpoints.OneC.OneCEndpoints.All))
        {
            Assert.That(kind.OptionsSchema.Properties.Select(p => p.Name), Has.None.AnyOf(CommonKeys), kind.Kind);
            Assert.That(kind.OptionsSchema.Properties.Select(p => p.Schema.Description), Has.All.Not.Null.And.All.Not.Empty, kind.Kind);
        }
        Assert.That(new FolderEndpointKind().OptionsSchema.Find("path")!.Required, Is.True);
        Assert.That(new HttpEndpointKind().OptionsSchema.Find("url")!.Required, Is.True);
    }

    [Test]
    public void Http_credentials_are_declared_secret()
    {
        var auth = (SingleKeySchema)new HttpEndpointKind().OptionsSchema.Find("auth")!.Schema;

        Assert.That(((StringSchema)auth.Variants["bearer"]).Secret, Is.True);
        Assert.That(((StringSchema)((ObjectSchema)auth.Variants["basic"]).Find("password")!.Schema).Secret, Is.True);
    }

    [TestCase("{messageId}.json", true)]
    [TestCase("{type}-{entityKey}-{idempotencyKey}.json", true)]
    [TestCase("export.json", true)]
    [TestCase("{orderNumber}.json", false)]
    [TestCase("out/{messageId}.json", false)]
    [TestCase("{messageId", false)]
    public void The_file_name_pattern_in_the_schema_agrees_with_the_template_parser(string template, bool valid)
    {
        var pattern = ((StringSchema)new FolderEndpointKind().OptionsSchema.Find("fileName")!.Schema).Pattern!;

        Assert.That(Regex.IsMatch(template, pattern), Is.EqualTo(valid));
        Assert.That(() => FileNameTemplate.Parse(template), valid ? Throws.Nothing : Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void Folder_defaults_follow_the_documented_values()
    {
        var services = TestServices.For(new MockFileSystem(), maxMessageSize: 1234);
        var endpoint = (FolderInboundEndpoint)new FolderEndpointKind().CreateInbound(
            new EndpointDefinition("inbox", "folder", Yaml.Map(("kind", "folder"), ("path", "data/in"))), services);

        var options = endpoint.Options;
        Assert.That(options.Path, Is.EqualTo("/router/data/in"));
        Assert.That(options.Pattern, Is.EqualTo("*.json"));
        Assert.That(options.Format, Is.EqualTo(InboundFileFormat.Json));
        Assert.That(options.Encoding.WebName, Is.EqualTo("utf-8"));
        Assert.That(endpoint.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(options.Completion, Is.EqualTo(FileCompletionMode.Stable));
        Assert.That(options.MarkerSuffix, Is.EqualTo(".done"));
        Assert.That(options.Processed, Is.EqualTo(ProcessedFileAction.Move));
        Assert.That(options.ProcessedPath, Is.EqualTo("/router/data/in/processed"));
        Assert.That(options.FailedPath, Is.EqualTo("/router/data/in/failed"));
        Assert.That(options.MaxFileSize, Is.EqualTo(1234));
        Assert.That(options.Batch, Is.EqualTo(100));
    }

    [Test]
    public void The_http_kind_refuses_to_build_an_inbound_endpoint()
    {
        var definition = new EndpointDefinition("platform", "http", Yaml.Map(("kind", "http"), ("url", "http://127.0.0.1:1/x")));

        Assert.That(() => new HttpEndpointKind().CreateInbound(definition, TestServices.For(new MockFileSystem())), Throws.InvalidOperationException);
    }
}
