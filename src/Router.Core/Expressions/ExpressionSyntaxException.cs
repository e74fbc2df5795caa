namespace Router.Core.Expressions;

/// <summary>An expression that does not parse. <see cref="Column"/> is 1-based within the expression text.</summary>
public sealed class ExpressionSyntaxException(string expression, string message, int line, int column)
    : Exception($"cannot parse expression '{expression}': {message} (at column {column})")
{
    public string Expression { get; } = expression;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = message;
}
