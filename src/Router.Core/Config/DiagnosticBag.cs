using Router.Core.Config.Nodes;

namespace Router.Core.Config;

/// <summary>Collects diagnostics from every stage of loading so the user sees all problems in one run.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> items = [];

    public int ErrorCount { get; private set; }

    public void Error(SourceMark mark, string message)
    {
        items.Add(new ConfigDiagnostic(mark, message));
        ErrorCount++;
    }

    public void Warning(SourceMark mark, string message) =>
        items.Add(new ConfigDiagnostic(mark, message, DiagnosticSeverity.Warning));

    /// <summary>Sorted by file, line and column, without repeats; equal places keep the order they were found in.</summary>
    public IReadOnlyList<ConfigDiagnostic> ToSortedList(Func<string, string> redact) =>
        items
            .Select(d => d with { Message = redact(d.Message) })
            .Distinct()
            .OrderBy(d => d.Mark.File, StringComparer.Ordinal)
            .ThenBy(d => d.Mark.Line)
            .ThenBy(d => d.Mark.Column)
            .ToList();
}
