using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;
using Router.Transformers.ConfigValues;

namespace Router.Transformers.Filter;

/// <summary><c>- filter: { when: "$.total &gt; 0" }</c> or <c>{ unless: $.test }</c>: keeps or drops the message.</summary>
public sealed class FilterTransformerFactory : ITransformerFactory
{
    private static readonly ObjectSchema Schema = new(
        new PropertySchema("when", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "keep the message only when this is true (JavaScript truthiness; a missing path is false)",
        }),
        new PropertySchema("unless", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "drop the message when this is true",
        }));

    public string Name => "filter";

    public string Description => "keeps a message when a condition holds (when) or does not (unless), drops it otherwise";

    public SchemaNode OptionsSchema => Schema;

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var map = options as ConfigMapping ?? throw new ConfigException(options.Mark, $"filter options must be a mapping, not {options.ShapeName}");
        var when = ConfigExpressions.CompileOptional(map, "when");
        var unless = ConfigExpressions.CompileOptional(map, "unless");
        if (when is null && unless is null)
        {
            throw new ConfigException(map.Mark, "filter needs a condition: 'when' or 'unless'");
        }
        return new FilterTransformer(when, unless);
    }
}
