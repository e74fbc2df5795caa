using System.Globalization;

namespace Router.Storage.Sqlite;

/// <summary>
/// Times are stored as ISO-8601 UTC text with a fixed width (seven fractional digits and 'Z'), so text order is
/// time order for ORDER BY, range filters and MIN/MAX, the value round-trips to the tick, and a person reading
/// the file with the sqlite3 shell sees a readable date.
/// </summary>
internal static class SqliteTime
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromText(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
