using System.Globalization;
using Router.Core.Config.Nodes;

namespace Router.Endpoints.Tests.Support;

/// <summary>A value that came from a secret reference (<c>${env:…}</c>) in the YAML.</summary>
internal sealed record Secret(string Value);

/// <summary>Builds option trees the way the config loader hands them to endpoint factories.</summary>
internal static class Yaml
{
    private static int line;

    public static ConfigMapping Map(params (string Key, object? Value)[] entries) =>
        new(Mark(), entries.Select(e => new KeyValuePair<ConfigScalar, ConfigNode>(new ConfigScalar(Mark(), e.Key), Node(e.Value))).ToList());

    private static ConfigNode Node(object? value) => value switch
    {
        null => new ConfigScalar(Mark(), null),
        ConfigNode node => node,
        Secret secret => new ConfigScalar(Mark(), secret.Value, isQuoted: true, isSecret: true),
        bool flag => new ConfigScalar(Mark(), flag ? "true" : "false"),
        IFormattable number => new ConfigScalar(Mark(), number.ToString(null, CultureInfo.InvariantCulture)),
        _ => new ConfigScalar(Mark(), value.ToString(), isQuoted: true),
    };

    private static SourceMark Mark() => new("test.yaml", Interlocked.Increment(ref line), 1);
}
