using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Router.Core.Stores;

/// <summary>
/// Groups dead letters by cause: same route, leg and error code, and the same message once numbers, ids and
/// quoted values are blanked out ("order 1001 rejected" and "order 1002 rejected" are one group).
/// </summary>
public static partial class DeadLetterFingerprint
{
    [GeneratedRegex(@"'[^']*'|""[^""]*""|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();

    public static string Compute(string route, string? endpoint, string errorCode, string errorMessage)
    {
        var shape = Variable().Replace(errorMessage, "#");
        var text = $"{route}\n{endpoint}\n{errorCode}\n{shape}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
