using System.Globalization;
using System.Text.RegularExpressions;

namespace Router.Endpoints.Cdek;

/// <summary>
/// CDEK writes <c>2020-08-10T21:32:14+0700</c>: an offset without the colon, which the ISO parsers refuse. The
/// colon is put back before parsing; a value that already has one (or a Z) parses as it is.
/// </summary>
public static partial class CdekDateTime
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var normalised = OffsetWithoutColon().Replace(text.Trim(), "$1$2$3:");
        return DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    /// <summary>CDEK's own way of writing a moment, for the emulator and for requests.</summary>
    public static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
        + (value.Offset < TimeSpan.Zero ? "-" : "+") + value.Offset.ToString("hhmm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-])(\d{2})(?=\d{2}$)")]
    private static partial Regex OffsetWithoutColon();
}
