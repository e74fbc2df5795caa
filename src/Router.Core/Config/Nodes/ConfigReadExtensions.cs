using System.Globalization;

namespace Router.Core.Config.Nodes;

/// <summary>
/// Typed reads for factories that build endpoints and transformers from options that already passed
/// schema validation. A wrong type here means the schema and the factory disagree: a bug, reported with its mark.
/// </summary>
public static class ConfigReadExtensions
{
    public static string? GetString(this ConfigMapping map, string key) =>
        map[key] switch
        {
            null => null,
            ConfigScalar s => s.Value,
            var other => throw Mismatch(other, key, "text"),
        };

    public static string GetString(this ConfigMapping map, string key, string defaultValue) => map.GetString(key) ?? defaultValue;

    public static string GetRequiredString(this ConfigMapping map, string key) =>
        map.GetString(key) ?? throw new ConfigException(map.Mark, $"'{key}' is required");

    public static bool GetBool(this ConfigMapping map, string key, bool defaultValue)
    {
        var text = map.GetString(key);
        return text is null ? defaultValue : ScalarParsers.ParseBool(text) ?? throw Mismatch(map[key]!, key, "true or false");
    }

    public static int GetInt(this ConfigMapping map, string key, int defaultValue)
    {
        var text = map.GetString(key);
        return text is null ? defaultValue
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw Mismatch(map[key]!, key, "an integer");
    }

    public static double GetDouble(this ConfigMapping map, string key, double defaultValue)
    {
        var text = map.GetString(key);
        return text is null ? defaultValue
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : throw Mismatch(map[key]!, key, "a number");
    }

    public static TimeSpan GetDuration(this ConfigMapping map, string key, TimeSpan defaultValue)
    {
        var text = map.GetString(key);
        return text is null ? defaultValue
            : ScalarParsers.ParseDuration(text) ?? throw Mismatch(map[key]!, key, "a duration such as 500ms, 30s, 5m, 1h");
    }

    public static TimeSpan? GetOptionalDuration(this ConfigMapping map, string key)
    {
        var text = map.GetString(key);
        return text is null ? null
            : ScalarParsers.ParseDuration(text) ?? throw Mismatch(map[key]!, key, "a duration such as 500ms, 30s, 5m, 1h");
    }

    public static long GetSize(this ConfigMapping map, string key, long defaultValue)
    {
        var text = map.GetString(key);
        return text is null ? defaultValue
            : ScalarParsers.ParseSize(text) ?? throw Mismatch(map[key]!, key, "a size such as 512KB, 10MB");
    }

    public static ConfigMapping? GetMapping(this ConfigMapping map, string key) =>
        map[key] switch
        {
            null => null,
            ConfigScalar { IsNull: true } => null,
            ConfigMapping m => m,
            var other => throw Mismatch(other, key, "a mapping"),
        };

    public static ConfigSequence? GetSequence(this ConfigMapping map, string key) =>
        map[key] switch
        {
            null => null,
            ConfigScalar { IsNull: true } => null,
            ConfigSequence s => s,
            var other => throw Mismatch(other, key, "a list"),
        };

    public static IReadOnlyList<string> GetStringList(this ConfigMapping map, string key) =>
        map[key] switch
        {
            null => [],
            ConfigScalar { IsNull: true } => [],
            ConfigScalar s => [s.Value!],
            ConfigSequence seq => seq.Items.Select(i => i is ConfigScalar { Value: { } v } ? v : throw Mismatch(i, key, "text")).ToList(),
            var other => throw Mismatch(other, key, "a list of text"),
        };

    /// <summary>A mapping of text to text (headers, price-type maps), in written order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> GetStringMap(this ConfigMapping map, string key)
    {
        var node = map.GetMapping(key);
        if (node is null)
        {
            return [];
        }
        return node.Entries
            .Select(e => new KeyValuePair<string, string>(e.Key.Value ?? "", e.Value is ConfigScalar s ? s.Value ?? "" : throw Mismatch(e.Value, e.Key.Value ?? key, "text")))
            .ToList();
    }

    public static bool IsSecret(this ConfigMapping map, string key) => map[key] is ConfigScalar { IsSecret: true };

    private static ConfigException Mismatch(ConfigNode node, string key, string expected) =>
        new(node.Mark, $"'{key}' must be {expected}, not {node.ShapeName}");
}
