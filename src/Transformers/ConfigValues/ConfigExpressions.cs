using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Expressions;

namespace Router.Transformers.ConfigValues;

/// <summary>Compiles expressions written in options, reporting a syntax error at the option's place in the YAML.</summary>
internal static class ConfigExpressions
{
    /// <param name="what">How the user knows the option, for the message: <c>when</c>, <c>fields.total.path</c>.</param>
    public static MessageExpression Compile(ConfigNode node, string what)
    {
        if (node is not ConfigScalar { Value: { } text })
        {
            throw new ConfigException(node.Mark, $"'{what}' must be an expression, not {node.ShapeName}");
        }
        try
        {
            return MessageExpression.Compile(text);
        }
        catch (ExpressionSyntaxException e)
        {
            throw new ConfigException(node.Mark, $"'{what}': {e.Message}");
        }
    }

    public static MessageExpression? CompileOptional(ConfigMapping options, string key) =>
        options[key] is { } node and not ConfigScalar { IsNull: true } ? Compile(node, key) : null;
}
