using System.Globalization;
using System.Text.RegularExpressions;

namespace Router.Core.Config.Nodes;

/// <summary>Parsers for the scalar formats the YAML uses: durations (500ms, 30s, 5m, 1h, 1d), sizes (10MB), booleans.</summary>
public static partial class ScalarParsers
{
    [GeneratedRegex(@"^\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>ms|s|m|h|d)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>B|KB|MB|GB|KiB|MiB|GiB)?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    public static TimeSpan? ParseDuration(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            // Also accept .NET's hh:mm:ss for people who paste TimeSpans.
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
        }
        var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["u"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
    }

    public static long? ParseSize(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }
        var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var factor = match.Groups["u"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1L,
            "KB" or "KIB" => 1024L,
            "MB" or "MIB" => 1024L * 1024,
            "GB" or "GIB" => 1024L * 1024 * 1024,
            _ => 0L,
        };
        return factor == 0 ? null : (long)(n * factor);
    }

    public static bool? ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => null,
    };
}
