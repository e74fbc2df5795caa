using System.Security.Cryptography;
using System.Text;

namespace Router.Endpoints.Folder;

/// <summary>
/// Turns text (message ids carry ':', '|', '/') into a name every file system and FTP server accepts. Deterministic,
/// so the same message always maps to the same file.
/// </summary>
public static class SafeFileName
{
    /// <summary>Leaves room under the usual 255-byte limit for the temporary name used while writing.</summary>
    public const int MaxUtf8Bytes = 200;

    private const string KeptPunctuation = "._-+=@,()[]~";

    public static string From(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var keep = Rune.IsLetterOrDigit(rune) || (rune.IsAscii && KeptPunctuation.Contains((char)rune.Value));
            safe.Append(keep ? rune.ToString() : "_");
        }
        var name = safe.ToString();
        if (name.Length == 0 || name.Trim('.').Length == 0)
        {
            name = "_" + name;
        }
        if (name[0] == '.')
        {
            // Leading dots mean hidden files, and our own temporary files start with one.
            name = "_" + name[1..];
        }
        return Encoding.UTF8.GetByteCount(name) <= MaxUtf8Bytes ? name : Shorten(name, text);
    }

    private static string Shorten(string name, string original)
    {
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 16 ? name[dot..] : "";
        var stem = extension.Length > 0 ? name[..dot] : name;
        // The hash of the original keeps two long names that share a prefix apart.
        var suffix = "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..16];
        var budget = MaxUtf8Bytes - Encoding.UTF8.GetByteCount(suffix + extension);
        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in stem.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }
            kept.Append(rune.ToString());
        }
        return kept + suffix + extension;
    }
}
