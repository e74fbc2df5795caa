using System.Globalization;
using System.Text.RegularExpressions;

namespace Router.Endpoints.Remote.Ftp;

/// <summary>One line of a LIST answer: a name, whether it is a plain file, its size and time.</summary>
public sealed record FtpListingEntry(string Name, bool IsFile, long Size, DateTime ModifiedUtc);

/// <summary>
/// Reads LIST answers, the only listing FtpWebRequest offers (no MLSD): the Unix <c>ls -l</c> form most servers
/// send and the DOS form of IIS. Times there are coarse (minutes, or only the date for old files), which is why the
/// stable rule compares sizes too.
/// </summary>
public static partial class FtpListing
{
    // -rw-r--r--   1 owner group   1234 Nov 25 00:07 import0_1.xml   (a year instead of the time for old files)
    [GeneratedRegex(@"^(?<type>[-dlbcps])[-rwxsStTl@+.]{9,10}\s+\d+\s+(?:\S+\s+){1,2}(?<size>\d+)\s+(?<month>[A-Za-z]{3})\s+(?<day>\d{1,2})\s+(?:(?<hour>\d{1,2}):(?<minute>\d{2})|(?<year>\d{4}))\s(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixLine();

    // 11-25-26  12:07AM               1234 import0_1.xml   /   11-25-26  12:07AM       <DIR>          processed
    [GeneratedRegex(@"^(?<month>\d{2})-(?<day>\d{2})-(?<year>\d{2,4})\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?<ampm>[AP]M)?\s+(?:(?<dir><DIR>)|(?<size>\d+))\s+(?<name>.+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DosLine();

    /// <param name="now">Unix listings leave out the year of recent files: it is this year, or last year if that would be in the future.</param>
    public static IReadOnlyList<FtpListingEntry> Parse(string listing, DateTime now)
    {
        var entries = new List<FtpListingEntry>();
        foreach (var raw in listing.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("total ", StringComparison.Ordinal))
            {
                continue;
            }
            var entry = ParseUnix(line, now) ?? ParseDos(line);
            if (entry is not null && entry.Name is not "." and not "..")
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static FtpListingEntry? ParseUnix(string line, DateTime now)
    {
        var match = UnixLine().Match(line);
        if (!match.Success)
        {
            return null;
        }
        var month = DateTime.ParseExact(match.Groups["month"].Value, "MMM", CultureInfo.InvariantCulture).Month;
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        DateTime time;
        if (match.Groups["year"].Success)
        {
            time = new DateTime(int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture), month, day, 0, 0, 0, DateTimeKind.Utc);
        }
        else
        {
            var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
            var minute = int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture);
            time = new DateTime(now.Year, month, day, hour, minute, 0, DateTimeKind.Utc);
            if (time > now.AddDays(2))
            {
                time = time.AddYears(-1);
            }
        }
        var name = match.Groups["name"].Value;
        if (match.Groups["type"].Value == "l")
        {
            // "link -> target": the link's own name is the part before the arrow.
            var arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
            name = arrow > 0 ? name[..arrow] : name;
        }
        var size = long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture);
        return new FtpListingEntry(name, match.Groups["type"].Value == "-", size, time);
    }

    private static FtpListingEntry? ParseDos(string line)
    {
        var match = DosLine().Match(line);
        if (!match.Success)
        {
            return null;
        }
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        year = year < 100 ? 2000 + year : year;
        var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["ampm"].Success)
        {
            var pm = match.Groups["ampm"].Value.Equals("PM", StringComparison.OrdinalIgnoreCase);
            hour = hour % 12 + (pm ? 12 : 0);
        }
        var time = new DateTime(
            year,
            int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture),
            hour,
            int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture),
            0,
            DateTimeKind.Utc);
        var isFile = !match.Groups["dir"].Success;
        return new FtpListingEntry(match.Groups["name"].Value, isFile, isFile ? long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture) : 0, time);
    }
}
