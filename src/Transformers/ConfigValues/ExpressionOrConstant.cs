using Router.Core.Config.Nodes;

namespace Router.Transformers.ConfigValues;

/// <summary>
/// The rule for short option values: text starting with <c>$</c> is an expression (<c>$.number</c>,
/// <c>"$.total * 100"</c>); anything else is a constant. <c>$$</c> writes a literal <c>$</c>: <c>$$5</c> is the text <c>$5</c>.
/// </summary>
internal static class ExpressionOrConstant
{
    public static bool IsExpression(ConfigScalar scalar) =>
        scalar.Value is { } text && text.StartsWith('$') && !text.StartsWith("$$", StringComparison.Ordinal);

    /// <summary>The constant's text with a leading <c>$$</c> unescaped; null for YAML null.</summary>
    public static string? ConstantText(ConfigScalar scalar) =>
        scalar.Value is { } text && text.StartsWith("$$", StringComparison.Ordinal) ? text[1..] : scalar.Value;

    public static bool IsEscapedDollar(ConfigScalar scalar) =>
        scalar.Value is { } text && text.StartsWith("$$", StringComparison.Ordinal);
}
