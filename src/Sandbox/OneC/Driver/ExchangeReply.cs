namespace Router.Sandbox.OneC.Driver;

/// <summary>One answer of the site to 1C: its HTTP status and its lines (<c>success</c>/<c>progress</c>/<c>failure</c> first).</summary>
public sealed record ExchangeReply(int Status, IReadOnlyList<string> Lines)
{
    public string Kind => Lines.Count > 0 ? Lines[0] : "";

    public bool IsSuccess => Kind == "success";

    public bool IsProgress => Kind == "progress";

    public bool IsFailure => Kind == "failure";

    /// <summary>What follows the first line: the reason of a failure, the note of a progress.</summary>
    public string Detail => string.Join(" ", Lines.Skip(1));

    public override string ToString() => $"{Status} {string.Join(" | ", Lines)}";
}

/// <summary>How an import ended, and how many times the site said <c>progress</c> before that.</summary>
public sealed record ImportResult(ExchangeReply Final, int ProgressAnswers);

/// <summary>The answer to <c>sale query</c>: the document's bytes as sent, its Content-Type, and its text decoded by the declared charset.</summary>
public sealed record SaleQueryReply(int Status, byte[] Body, string? ContentType, string Text);
