using System.Globalization;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// Dates as 1C and Bitrix write them in order documents. They carry no offset: 1C writes the infobase's local time,
/// so the configured offset (Moscow by default) turns them into instants.
/// </summary>
internal static class CommerceDates
{
    public static readonly TimeSpan DefaultOffset = TimeSpan.FromHours(3);

    // Дата/Время are ISO by the standard; requisites like "Дата изменения статуса" follow the exporter's locale.
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
        "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy H:mm:ss", "dd.MM.yyyy",
    ];

    /// <summary>A date with an optional separate time (Дата + Время, Дата1С + Время1С); null when unreadable.</summary>
    public static DateTimeOffset? Parse(string? date, string? time, TimeSpan offset)
    {
        if (date is null)
        {
            return null;
        }
        var text = time is null ? date : $"{date}T{time}";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset)
            && HasExplicitOffset(text))
        {
            return withOffset;
        }
        return DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, offset)
            : null;
    }

    /// <summary>"+03:00", "Z" at the end: the writer knew its zone, so the configured offset must not override it.</summary>
    private static bool HasExplicitOffset(string text) =>
        text.EndsWith('Z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

    public static string Date(DateTimeOffset value, TimeSpan offset) =>
        value.ToOffset(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value, TimeSpan offset) =>
        value.ToOffset(offset).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset value, TimeSpan offset) =>
        value.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"+03:00" or "-05:30"; the options schema has already checked the shape.</summary>
    public static TimeSpan ParseOffset(string text)
    {
        var magnitude = TimeSpan.ParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture);
        return text[0] == '-' ? -magnitude : magnitude;
    }
}
