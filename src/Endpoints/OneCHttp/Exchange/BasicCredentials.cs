using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Router.Endpoints.Shared;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>The user and password of an HTTP Basic Authorization header, and a comparison that leaks no timing.</summary>
internal sealed record BasicCredentials(string User, string Password)
{
    private static readonly Encoding Utf8Strict = TextEncodings.Strict(TextEncodings.Utf8);
    private static readonly Encoding Windows1251 = TextEncodings.Strict(TextEncodings.Windows1251);

    /// <summary>Null when the header is missing or is not Basic credentials.</summary>
    public static BasicCredentials? From(string? authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(header.Parameter);
        }
        catch (FormatException)
        {
            return null;
        }
        var text = Decode(raw);
        var colon = text?.IndexOf(':') ?? -1;
        return colon < 0 ? null : new BasicCredentials(text![..colon], text[(colon + 1)..]);
    }

    public bool Matches(string user, string password) =>
        // Both compared every time, so the answer's timing says nothing about which one was wrong.
        FixedTimeEquals(User, user) & FixedTimeEquals(Password, password);

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>1C 8 sends UTF-8; older clients send a Cyrillic user name in windows-1251.</summary>
    private static string? Decode(byte[] raw)
    {
        try
        {
            return Utf8Strict.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            try
            {
                return Windows1251.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }
}
