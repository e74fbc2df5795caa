using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.Validate;

/// <summary>
/// <c>- validate: { schema: ./schemas/order.schema.json }</c> or <c>{ schema: { type: object, required: [number] } }</c>:
/// checks the payload against a JSON Schema (draft 2020-12 unless the schema says otherwise).
/// </summary>
public sealed class ValidateTransformerFactory : ITransformerFactory
{
    private static readonly ObjectSchema Schema = new(
        new PropertySchema("schema", new ShapeChoiceSchema
        {
            Scalar = new StringSchema { Format = StringFormat.Path, Description = "a JSON Schema file, relative to the config file" },
            Mapping = new AnySchema { Description = "the JSON Schema written inline in YAML" },
            Description = "the JSON Schema the payload must match",
        }) { Required = true });

    public string Name => "validate";

    public string Description => "checks the payload against a JSON Schema; a mismatch is a permanent schema-violation failure";

    public SchemaNode OptionsSchema => Schema;

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var map = options as ConfigMapping ?? throw new ConfigException(options.Mark, $"validate options must be a mapping, not {options.ShapeName}");
        var schemaNode = map["schema"] ?? throw new ConfigException(map.Mark, "'schema' is required");
        return new ValidateTransformer(SchemaLoader.Load(schemaNode, context));
    }
}
