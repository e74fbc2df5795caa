using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;

namespace Router.Transformers.CommerceML;

/// <summary>Options both CommerceML transformers share.</summary>
internal static class CommerceMLOptions
{
    /// <summary>Large УТ exports reach tens of megabytes; beyond this a file is more likely a runaway export than a catalogue.</summary>
    public const long DefaultMaxSize = 64L * 1024 * 1024;

    public static readonly PropertySchema MaxSize = new("maxSize", new StringSchema
    {
        Format = StringFormat.Size,
        Default = "64MB",
        Description = "the largest file text accepted, in characters, e.g. 64MB",
    });

    /// <summary>Null options (<c>- commerceml-catalog:</c> with nothing after it) mean all defaults.</summary>
    public static ConfigMapping? AsMapping(ConfigNode options, string transformerName) => options switch
    {
        ConfigMapping mapping => mapping,
        ConfigScalar { IsNull: true } => null,
        _ => throw new Core.Config.ConfigException(options.Mark, $"{transformerName} options must be a mapping, not {options.ShapeName}"),
    };

    public static long ReadMaxSize(ConfigMapping? options) =>
        options?.GetSize("maxSize", DefaultMaxSize) ?? DefaultMaxSize;
}
