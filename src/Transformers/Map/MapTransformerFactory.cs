using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.Map;

/// <summary>
/// <c>- map: { type, entityKey, entityVersion, keepNulls, fields: { name: $.path | constant | { path, const, format,
/// fields, each, convert, required, default } } }</c>: a declarative mapping to a new payload.
/// </summary>
public sealed class MapTransformerFactory : ITransformerFactory
{
    public string Name => "map";

    public string Description => "builds a new payload from declared fields: paths, expressions, constants, formats, nested objects and lists, with conversions";

    public SchemaNode OptionsSchema => MapOptionsSchema.Options;

    public ITransformer Create(ConfigNode options, TransformerCreationContext context) =>
        new MapTransformer(MapDefinitionReader.Read(options as ConfigMapping
            ?? throw new Core.Config.ConfigException(options.Mark, $"map options must be a mapping, not {options.ShapeName}")));
}
