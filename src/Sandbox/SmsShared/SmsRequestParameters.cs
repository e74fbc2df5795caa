using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.SmsShared;

/// <summary>
/// The parameters of an SMS gateway call: both sms.ru and SMSC take them from the query string (GET) or an
/// url-encoded form (POST), and a POST may carry some in each. The body comes from the sandbox pipeline, which
/// has already read it for the request log.
/// </summary>
internal sealed class SmsRequestParameters
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public SmsRequestParameters(HttpContext context)
    {
        foreach (var (key, value) in context.Request.Query)
        {
            values[key] = value.ToString();
        }
        var body = context.SandboxRequest().Body;
        if (body.Length > 0 && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                values[key] = value.ToString();
            }
        }
    }

    public string? this[string name] => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Phone lists are separated by commas (or semicolons, for SMSC).</summary>
    public IReadOnlyList<string> List(string name) =>
        this[name]?.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

/// <summary>How many SMS parts a text takes: 160/153 GSM characters, or 70/67 when it has Cyrillic (UCS-2).</summary>
internal static class SmsParts
{
    public static int Count(string text)
    {
        var unicode = text.Any(c => c > 127);
        var (single, multi) = unicode ? (70, 67) : (160, 153);
        return text.Length <= single ? 1 : (text.Length + multi - 1) / multi;
    }

    /// <summary>Digits only, as both gateways want them: <c>+7 (916) 123-45-67</c> is <c>79161234567</c>.</summary>
    public static string? Normalize(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '8')
        {
            digits = "7" + digits[1..];
        }
        return digits.Length is >= 11 and <= 15 ? digits : null;
    }
}
