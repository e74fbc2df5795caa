using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;
using Router.Transformers.ConfigValues;

namespace Router.Transformers.SetHeader;

/// <summary><c>- set-header: { X-Channel: web, X-Order: $.number }</c>: values starting with <c>$</c> are expressions, others constants.</summary>
public sealed class SetHeaderTransformerFactory : ITransformerFactory
{
    // RFC 9110 token characters, so every header can also be sent over HTTP.
    private const string HeaderNamePattern = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    private static readonly MapSchema Schema = new(new AnySchema
    {
        Description = "text starting with '$' is an expression ('$$' for a literal '$'); anything else is the header's value",
    })
    {
        KeyPattern = HeaderNamePattern,
        KeyPatternDescription = "a header name of letters, digits and -_.!#$%&'*+^`|~",
        Description = "header name → value",
    };

    public string Name => "set-header";

    public string Description => "sets envelope headers to constants or to values taken from the message";

    public SchemaNode OptionsSchema => Schema;

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var map = options as ConfigMapping ?? throw new ConfigException(options.Mark, $"set-header options must be a mapping, not {options.ShapeName}");
        if (map.Entries.Count == 0)
        {
            throw new ConfigException(map.Mark, "set-header needs at least one header");
        }
        return new SetHeaderTransformer(map.Entries.Select(e => Read(e.Key, e.Value)).ToList());
    }

    private static HeaderValue Read(ConfigScalar key, ConfigNode value)
    {
        var name = key.Value ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, HeaderNamePattern))
        {
            throw new ConfigException(key.Mark, $"'{name}' is not a valid header name");
        }
        return value switch
        {
            ConfigScalar { IsNull: true } => throw new ConfigException(value.Mark, $"header '{name}' needs a value"),
            ConfigScalar scalar when ExpressionOrConstant.IsExpression(scalar) => new HeaderValue(name, null, ConfigExpressions.Compile(scalar, name)),
            ConfigScalar scalar => new HeaderValue(name, ExpressionOrConstant.ConstantText(scalar), null),
            _ => throw new ConfigException(value.Mark, $"header '{name}' must be text or an expression, not {value.ShapeName}"),
        };
    }
}
