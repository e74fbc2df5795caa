namespace Router.Core.Expressions;

/// <summary>
/// An expression that does not parse. <see cref="Line"/> and <see cref="Column"/> are 1-based and point into the
/// text exactly as it was given to <see cref="MessageExpression.Compile"/>, so a config error can quote them.
/// </summary>
public sealed class ExpressionSyntaxException(string expression, string reason, int line, int column)
    : Exception($"cannot parse expression '{expression}': {reason} ({Where(line, column)})")
{
    public string Expression { get; } = expression;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = reason;

    private static string Where(int line, int column) => line > 1 ? $"at line {line}, column {column}" : $"at column {column}";
}
