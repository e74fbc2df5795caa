using System.Globalization;

namespace Router.Transformers.CommerceML;

/// <summary>
/// Numbers as 1C writes them: invariant "1234.50" by the standard, but hand-configured exports also produce
/// "1234,50" and thousands separated by (non-breaking) spaces.
/// </summary>
internal static class CommerceNumbers
{
    public static bool TryParse(string text, out decimal value)
    {
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '\u00A0').ToArray()).Replace(',', '.');
        return decimal.TryParse(compact, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }
}
