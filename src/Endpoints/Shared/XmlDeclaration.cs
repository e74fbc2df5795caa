using System.Text;
using System.Text.RegularExpressions;

namespace Router.Endpoints.Shared;

/// <summary>Reads the encoding an XML document names in its prolog (1C writes windows-1251 or UTF-8 and says which).</summary>
public static partial class XmlDeclaration
{
    /// <summary>The declared encoding of raw bytes, or null when there is no declaration or it names none.</summary>
    public static string? EncodingOf(ReadOnlySpan<byte> content)
    {
        var head = content[StrictText.Utf8BomLength(content)..];
        head = head[..Math.Min(head.Length, 256)];
        // The prolog is ASCII in every encoding the router reads, so Latin-1 shows it faithfully.
        return EncodingOf(Encoding.Latin1.GetString(head));
    }

    /// <summary>The declared encoding of a document already decoded to text.</summary>
    public static string? EncodingOf(string text)
    {
        if (!text.StartsWith("<?xml", StringComparison.Ordinal))
        {
            return null;
        }
        var end = text.IndexOf("?>", StringComparison.Ordinal);
        var prolog = end >= 0 ? text[..end] : text[..Math.Min(text.Length, 256)];
        var match = EncodingAttribute().Match(prolog);
        return match.Success ? match.Groups["name"].Value : null;
    }

    [GeneratedRegex("""encoding\s*=\s*["'](?<name>[A-Za-z0-9._:-]+)["']""", RegexOptions.CultureInvariant)]
    private static partial Regex EncodingAttribute();
}
