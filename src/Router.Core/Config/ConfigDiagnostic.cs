using Router.Core.Config.Nodes;

namespace Router.Core.Config;

public enum DiagnosticSeverity
{
    Error,

    /// <summary>Worth fixing, but the configuration still loads (an include glob that matches nothing).</summary>
    Warning,
}

/// <summary>One problem found in the YAML. <see cref="ToString"/> is the <c>file:line:col: error: message</c> line that <c>router validate</c> prints.</summary>
public sealed record ConfigDiagnostic(SourceMark Mark, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString() =>
        $"{Mark}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Message}";
}
