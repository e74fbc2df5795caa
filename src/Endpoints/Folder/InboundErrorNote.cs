using System.Globalization;
using System.Text;

namespace Router.Endpoints.Folder;

/// <summary>The <c>&lt;name&gt;.error.txt</c> written beside a rejected file: what a person needs to find and fix it.</summary>
public static class InboundErrorNote
{
    public const string Suffix = ".error.txt";

    /// <summary>Notes are read by people and tools alike: UTF-8 without a byte order mark.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static string Write(string endpointId, string fileName, string? messageId, string code, string error, DateTimeOffset at)
    {
        var note = new StringBuilder();
        note.Append("endpoint: ").AppendLine(endpointId);
        note.Append("file: ").AppendLine(fileName);
        note.Append("message id: ").AppendLine(messageId ?? "-");
        note.Append("code: ").AppendLine(code);
        note.Append("at: ").AppendLine(at.ToString("O", CultureInfo.InvariantCulture));
        note.Append("error: ").AppendLine(error);
        return note.ToString();
    }

    /// <summary><c>orders.json</c>, then <c>orders.2.json</c>, <c>orders.3.json</c>…: set-aside files never overwrite earlier ones.</summary>
    public static string Numbered(string name, int attempt)
    {
        if (attempt == 1)
        {
            return name;
        }
        var dot = name.LastIndexOf('.');
        return dot > 0 ? $"{name[..dot]}.{attempt}{name[dot..]}" : $"{name}.{attempt}";
    }
}
