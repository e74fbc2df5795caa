using Router.Core.Config.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Router.Transformers.Tests.Support;

/// <summary>
/// YAML text to a ConfigNode tree, for tests only (the router's loader lives in Router.Core and resolves more:
/// references, secrets, merge keys). Plain ~, null and empty scalars are YAML null, as the loader makes them.
/// </summary>
public static class Yaml
{
    public const string FileName = "test.yaml";

    public static ConfigNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    public static ConfigMapping Mapping(string yaml) => (ConfigMapping)Parse(yaml);

    private static ConfigNode Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => Scalar(scalar),
        YamlSequenceNode sequence => new ConfigSequence(MarkOf(sequence), sequence.Children.Select(Convert).ToList()),
        YamlMappingNode mapping => new ConfigMapping(MarkOf(mapping),
            mapping.Children.Select(e => new KeyValuePair<ConfigScalar, ConfigNode>(Scalar((YamlScalarNode)e.Key), Convert(e.Value))).ToList()),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static ConfigScalar Scalar(YamlScalarNode scalar)
    {
        var quoted = scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any);
        var isNull = !quoted && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
        return new ConfigScalar(MarkOf(scalar), isNull ? null : scalar.Value, quoted);
    }

    private static SourceMark MarkOf(YamlNode node) => new(FileName, (int)node.Start.Line, (int)node.Start.Column);
}
