using System.Text;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// The <c>filename</c> 1C gives with <c>mode=file</c> and <c>mode=import</c>, made safe the way Bitrix does it: a
/// prefix 1C on Linux adds is dropped, '\' becomes '/', sub-folders stay (<c>import_files/ab/x.jpg</c>,
/// <c>goods/1/import___…xml</c>); anything that could leave the session's folder or be run by a web server is refused.
/// </summary>
internal static class UploadName
{
    public const int MaxSegmentBytes = 200;
    public const int MaxLength = 1024;

    /// <summary>1C on Linux sends its temp path or Bitrix's web-data path in front of the name.</summary>
    private static readonly string[] ClientPrefixes = ["/tmp/", "upload/1c/webdata/", "/upload/1c/webdata/"];

    /// <summary>Every extension Bitrix's HasScriptExtension knows, and the usual others a server might execute.</summary>
    private static readonly HashSet<string> ScriptExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "php", "php3", "php4", "php5", "php6", "php7", "php8", "phtml", "pht", "phar", "phps", "pl", "py", "pyc", "cgi", "fcgi", "fcg", "fpl",
        "asp", "aspx", "asmx", "ascx", "ashx", "axd", "cshtml", "vbhtml", "jsp", "jspx", "shtm", "shtml", "stm", "psp", "var", "htaccess",
        "sh", "bash", "exe", "dll", "com", "bat", "cmd", "vbs", "ps1", "msi", "so",
    };

    /// <summary>The relative path to store the upload under; throws <see cref="UploadRefusal"/> with the reason 1C is told.</summary>
    public static string Normalize(string? filename)
    {
        if (string.IsNullOrWhiteSpace(filename))
        {
            throw new UploadRefusal(OneCErrorCodes.BadFileName, "no filename was given");
        }
        var name = filename.Trim().Replace('\\', '/');
        foreach (var prefix in ClientPrefixes.Where(p => name.StartsWith(p, StringComparison.Ordinal)))
        {
            name = name[prefix.Length..];
            break;
        }
        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':') || name.Contains('\0'))
        {
            throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{Shown(filename)}' is an absolute path; send names relative to the exchange folder");
        }
        if (name.Length > MaxLength)
        {
            throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{Shown(filename)}' is longer than {MaxLength} characters");
        }
        var segments = name.Split('/');
        foreach (var segment in segments)
        {
            if (segment is "" or "." or "..")
            {
                throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{Shown(filename)}' leaves the exchange folder or has an empty part ('{segment}')");
            }
            if (segment.StartsWith('.') || segment.Any(char.IsControl) || segment.IndexOfAny([':', '*', '?', '"', '<', '>', '|']) >= 0)
            {
                throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{Shown(filename)}' has a part the router does not store ('{Shown(segment)}')");
            }
            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{Shown(filename)}' has a part longer than {MaxSegmentBytes} bytes");
            }
        }
        var leaf = segments[^1];
        // "x.php.jpg" runs as PHP on a badly configured Apache: every extension counts, not only the last.
        if (leaf.Split('.').Skip(1).FirstOrDefault(ScriptExtensions.Contains) is { } script)
        {
            throw new UploadRefusal(OneCErrorCodes.ScriptFile, $"filename '{Shown(filename)}' has the script extension '.{script}', which is never accepted");
        }
        if (leaf.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadRefusal(OneCErrorCodes.ZipRefused, $"'{Shown(filename)}' is a zip archive, but the router answered zip=no: set 1C's exchange to send files uncompressed");
        }
        return name;
    }

    /// <summary>Names are echoed to 1C and into logs: no control characters, bounded length.</summary>
    public static string Shown(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 120 ? clean : clean[..120] + "…";
    }
}

/// <summary>An upload the protocol refuses; <see cref="Code"/> is journaled, the message goes back to 1C.</summary>
internal sealed class UploadRefusal(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Codes of refused exchange input, as the journal and the notes in failed/ name them.</summary>
public static class OneCErrorCodes
{
    public const string BadFileName = "bad-file-name";
    public const string ScriptFile = "script-file";
    public const string ZipRefused = "zip-refused";
    public const string TooLarge = Router.Core.Failures.ErrorCodes.TooLarge;
    public const string MalformedInput = Router.Core.Failures.ErrorCodes.MalformedInput;
    public const string NotAccepted = "not-accepted";
}
