using System.Text;

namespace Router.Endpoints.Http;

/// <summary>HTTP header values carry printable ASCII only; ids made from Cyrillic file names must be encoded to travel.</summary>
public static class HeaderValues
{
    public static bool IsPrintableAscii(string value) => value.All(c => c is '\t' or (>= ' ' and <= '~'));

    /// <summary>The value unchanged if it can travel as is; otherwise percent-encoded UTF-8 (RFC 3986 style).</summary>
    public static string Encode(string value)
    {
        if (IsPrintableAscii(value))
        {
            return value;
        }
        var encoded = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= 0x21 and <= 0x7E && b != '%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }
}
