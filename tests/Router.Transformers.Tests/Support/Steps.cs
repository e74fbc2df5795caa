using System.IO.Abstractions.TestingHelpers;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Tests.Support;

public static class Steps
{
    public const string ConfigDirectory = "/config";

    public static TransformerCreationContext Context(MockFileSystem? fileSystem = null) =>
        new(ConfigDirectory, fileSystem ?? new MockFileSystem());

    /// <summary>Builds a transformer from the YAML of its options, as a route step would.</summary>
    public static ITransformer Create(ITransformerFactory factory, string optionsYaml, MockFileSystem? fileSystem = null) =>
        factory.Create(Yaml.Parse(optionsYaml), Context(fileSystem));

    public static Envelope Single(this ITransformer transformer, Envelope input)
    {
        var output = transformer.Transform(input, TransformContext.Standalone);
        Assert.That(output, Has.Count.EqualTo(1), "expected exactly one envelope");
        return output[0];
    }
}
