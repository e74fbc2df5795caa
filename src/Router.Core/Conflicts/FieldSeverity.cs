namespace Router.Core.Conflicts;

/// <summary>How much a conflicting value matters: <c>merge_smart</c> settles info and warning by recency and leaves critical to a person.</summary>
public enum FieldSeverity
{
    Info,
    Warning,
    Critical,
}

public static class FieldSeverities
{
    public static readonly IReadOnlyList<string> Names = ["critical", "warning", "info"];

    public static string Name(this FieldSeverity severity) => severity switch
    {
        FieldSeverity.Critical => "critical",
        FieldSeverity.Warning => "warning",
        _ => "info",
    };

    public static FieldSeverity Parse(string text) => text switch
    {
        "critical" => FieldSeverity.Critical,
        "warning" => FieldSeverity.Warning,
        "info" => FieldSeverity.Info,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "not one of critical, warning, info"),
    };
}
