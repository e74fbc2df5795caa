using System.Text;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Folder;

/// <summary>
/// An outbound file name such as <c>{type}-{entityKey}.json</c>. Names are derived only from the message and the
/// leg, so a retry or replay writes the same name again: that is the folder endpoint's idempotency.
/// </summary>
public sealed class FileNameTemplate
{
    public const string MessageId = "messageId";
    public const string Type = "type";
    public const string EntityKey = "entityKey";
    public const string IdempotencyKey = "idempotencyKey";

    public static readonly IReadOnlyList<string> Placeholders = [MessageId, Type, EntityKey, IdempotencyKey];

    private readonly IReadOnlyList<Part> parts;

    private readonly bool allowsFolders;

    private FileNameTemplate(string text, IReadOnlyList<Part> parts, bool allowsFolders)
    {
        Text = text;
        this.parts = parts;
        this.allowsFolders = allowsFolders;
    }

    public string Text { get; }

    /// <summary>Throws <see cref="FormatException"/> naming the problem (unknown placeholder, unclosed brace, a folder in the name).</summary>
    /// <param name="allowFolders">
    /// Literal '/' separates subfolders under the endpoint's path (<c>orders/{messageId}.xml</c>); '..', empty and
    /// absolute segments are still refused, and a '/' inside a placeholder's value never makes a folder.
    /// </param>
    public static FileNameTemplate Parse(string text, bool allowFolders = false)
    {
        if (text.Length == 0)
        {
            throw new FormatException("the file name template is empty");
        }
        if (allowFolders)
        {
            CheckFolders(text);
        }
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' || (c == '/' && !allowFolders))
            {
                throw new FormatException($"the file name template '{text}' names a folder; set the folder with 'path'");
            }
            if (c == '}')
            {
                throw new FormatException($"the file name template '{text}' has a '}}' without '{{'");
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var end = text.IndexOf('}', i + 1);
            if (end < 0)
            {
                throw new FormatException($"the file name template '{text}' has a '{{' without '}}'");
            }
            var name = text[(i + 1)..end];
            if (!Placeholders.Contains(name))
            {
                throw new FormatException($"unknown placeholder '{{{name}}}' in the file name template '{text}'; use {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}");
            }
            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), IsPlaceholder: false));
                literal.Clear();
            }
            parts.Add(new Part(name, IsPlaceholder: true));
            i = end;
        }
        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), IsPlaceholder: false));
        }
        return new FileNameTemplate(text, parts, allowFolders);
    }

    private static void CheckFolders(string text)
    {
        var segments = text.Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new FormatException($"the file name template '{text}' has an empty, '.' or '..' folder; write relative folders such as orders/{{messageId}}.xml");
        }
    }

    /// <summary>The file name for this message on this leg, made safe for any file system.</summary>
    public string Render(Envelope envelope, DeliveryContext context)
    {
        var name = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsPlaceholder)
            {
                name.Append(part.Text);
                continue;
            }
            var value = part.Text switch
            {
                MessageId => envelope.MessageId,
                Type => envelope.Type,
                EntityKey => envelope.EntityKey,
                IdempotencyKey => context.IdempotencyKey,
                _ => null,
            };
            if (string.IsNullOrEmpty(value))
            {
                throw new PermanentFailureException(
                    "file-name",
                    $"the file name template '{Text}' needs {{{part.Text}}}, which message {envelope.MessageId} does not have");
            }
            // A value's own '/' must not open a folder: it is made safe with the rest of its segment.
            name.Append(allowsFolders ? value.Replace('/', '_') : value);
        }
        return allowsFolders
            ? string.Join('/', name.ToString().Split('/').Select(SafeFileName.From))
            : SafeFileName.From(name.ToString());
    }

    public override string ToString() => Text;

    private sealed record Part(string Text, bool IsPlaceholder);
}
