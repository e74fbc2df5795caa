using System.Text.RegularExpressions;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Core.Tests.Config;

/// <summary>Endpoint kinds and transformers made for these tests, so config tests do not depend on the real ones.</summary>
internal static class TestRegistries
{
    public static EndpointKindRegistry Kinds { get; } = new(
    [
        new FakeEndpointKind("folder", EndpointDirections.Both, new ObjectSchema(
            new PropertySchema("path", new StringSchema { Format = StringFormat.Path }) { Required = true },
            new PropertySchema("poll", new StringSchema { Format = StringFormat.Duration }))),
        new FakeEndpointKind("http", EndpointDirections.Outbound, new ObjectSchema(
            new PropertySchema("url", new StringSchema { Format = StringFormat.Url }) { Required = true },
            new PropertySchema("method", new StringSchema { Enum = ["POST", "PUT"], Default = "POST" }),
            new PropertySchema("headers", new MapSchema(new StringSchema())),
            new PropertySchema("token", new StringSchema { Secret = true }))),
        new FakeEndpointKind("webhook", EndpointDirections.Inbound, new ObjectSchema(
            new PropertySchema("path", new StringSchema()) { Required = true })),
        new FakeEndpointKind("schedule", EndpointDirections.Inbound, new ObjectSchema(
            new PropertySchema("cron", new StringSchema { Format = StringFormat.Cron }) { Required = true })),
        new FakeEndpointKind("sms", EndpointDirections.Outbound, new ObjectSchema(
            new PropertySchema("apiKey", new StringSchema { Secret = true }) { Required = true },
            new PropertySchema("sender", new StringSchema()))),
        new FakeEndpointKind("amqp", EndpointDirections.Both, new ObjectSchema(
            new PropertySchema("queue", new StringSchema()) { Required = true },
            new PropertySchema("user", new StringSchema()),
            new PropertySchema("password", new StringSchema { Pattern = "^[^ ]+$", PatternDescription = "text without spaces" }),
            new PropertySchema("prefetch", new IntegerSchema { Minimum = 1, Maximum = 1000 }))),
    ]);

    public static TransformerRegistry Transformers { get; } = new(
    [
        new FakeTransformerFactory("map", new ObjectSchema(
            new PropertySchema("fields", new MapSchema(new StringSchema { Format = StringFormat.Expression })) { Required = true })),
        new FakeTransformerFactory("filter", new ObjectSchema(
            new PropertySchema("when", new StringSchema { Format = StringFormat.Expression }) { Required = true })),
        new FakeTransformerFactory("uppercase", new ObjectSchema()),
        new FakeTransformerFactory("regex-replace", new ObjectSchema(
            new PropertySchema("pattern", new StringSchema()) { Required = true },
            new PropertySchema("replacement", new StringSchema())), CompileRegex),
        new FakeTransformerFactory("template", new ObjectSchema(
            new PropertySchema("file", new StringSchema { Format = StringFormat.Path }) { Required = true }), RequireTemplateFile),
    ]);

    /// <summary>Like a careless real factory, this one echoes the option in its message: the loader must still not leak it.</summary>
    private static void CompileRegex(ConfigNode options, TransformerCreationContext context)
    {
        var pattern = (ConfigMapping)options;
        try
        {
            _ = new Regex(pattern.GetRequiredString("pattern"));
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(pattern["pattern"]!.Mark, $"'pattern' is not a valid regular expression: {e.Message}");
        }
    }

    private static void RequireTemplateFile(ConfigNode options, TransformerCreationContext context)
    {
        var file = ((ConfigMapping)options).GetRequiredString("file");
        var path = context.FileSystem.Path.Combine(context.BaseDirectory, file);
        if (!context.FileSystem.File.Exists(path))
        {
            throw new ConfigException(((ConfigMapping)options)["file"]!.Mark, $"template file '{file}' does not exist");
        }
    }
}

internal sealed class FakeEndpointKind(string kind, EndpointDirections directions, ObjectSchema options) : IEndpointKind
{
    public string Kind => kind;

    public string Description => $"Test endpoint kind '{kind}'.";

    public EndpointDirections Directions => directions;

    public ObjectSchema OptionsSchema => options;

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        throw new NotSupportedException("configuration tests never start endpoints");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        throw new NotSupportedException("configuration tests never start endpoints");
}

internal sealed class FakeTransformerFactory(string name, SchemaNode options, Action<ConfigNode, TransformerCreationContext>? check = null) : ITransformerFactory
{
    public string Name => name;

    public string Description => $"Test transformer '{name}'.";

    public SchemaNode OptionsSchema => options;

    public int Created { get; private set; }

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        check?.Invoke(options, context);
        Created++;
        return new PassThrough();
    }

    private sealed class PassThrough : ITransformer
    {
        public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context) => [input];
    }
}
