namespace Router.Core.Expressions;

/// <summary>
/// What one JavaScript evaluation may cost. Expressions are configuration, not programs: a mistake such as an
/// endless loop must fail that message (as <c>expression-failed</c>) instead of stalling a route.
/// </summary>
public static class ExpressionLimits
{
    /// <summary>
    /// A backstop for work that runs no statements (huge sorts, string building in built-ins). It is wall-clock time,
    /// so it is generous: an expression's first run on a thread includes JIT-compiling the interpreter, and on a
    /// starved machine that alone took over 2 s, failing a one-line filter. Endless loops stop at
    /// <see cref="MaxStatements"/> long before this.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Generous for a reduce over a few thousand order lines, small enough to stop a loop in milliseconds.</summary>
    public const int MaxStatements = 100_000;

    public const int MaxCallDepth = 64;

    public const uint MaxArrayLength = 1_000_000;

    public const long MaxMemoryBytes = 128L * 1024 * 1024;

    /// <summary>Results nested deeper than this are rejected; it also stops a cyclic object from recursing forever.</summary>
    public const int MaxResultDepth = 64;
}
