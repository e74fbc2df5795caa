using System.Text;
using Microsoft.AspNetCore.Http;
using Router.Endpoints.Shared;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// One answer of the exchange protocol: lines of text whose first is <c>success</c>, <c>progress</c> or
/// <c>failure</c>, or an XML document (<c>sale query</c>). Sent in windows-1251 as Bitrix sends them, because that is
/// what 1C's exchange reads.
/// </summary>
public sealed record ExchangeAnswer
{
    public const string Success = "success";
    public const string Progress = "progress";
    public const string Failure = "failure";
    public const string TextContentType = "text/plain; charset=windows-1251";
    public const string XmlContentType = "application/xml; charset=windows-1251";

    private static readonly Encoding LineEncoding = TextEncodings.Replacing(TextEncodings.Windows1251);

    public int Status { get; init; } = StatusCodes.Status200OK;
    public IReadOnlyList<string> Lines { get; init; } = [];
    public byte[]? Xml { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool IsFailure => Xml is null && Lines.Count > 0 && Lines[0] == Failure;

    public static ExchangeAnswer Ok(params string[] more) => new() { Lines = [Success, .. more] };

    public static ExchangeAnswer InProgress(string text) => new() { Lines = [Progress, OneLine(text)] };

    /// <summary>1C shows the reason to its operator: say what is wrong and with which file.</summary>
    public static ExchangeAnswer Failed(string reason) => new() { Lines = [Failure, OneLine(reason)] };

    public static ExchangeAnswer Document(byte[] xml) => new() { Xml = xml };

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }
        // 1C must never reuse an exchange answer from a cache between it and the router.
        response.Headers.CacheControl = "no-store";
        var body = Xml ?? LineEncoding.GetBytes(string.Join('\n', Lines) + "\n");
        response.ContentType = Xml is null ? TextContentType : XmlContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
