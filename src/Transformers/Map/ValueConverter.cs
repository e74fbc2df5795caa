using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Router.Transformers.Map;

/// <summary>
/// Applies a <see cref="Conversion"/>. The inputs are what Russian trade systems send: numbers as text with a
/// decimal comma and spaces between thousands (<c>"1 234,56"</c>), 1C's <c>да</c>/<c>нет</c> and
/// <c>истина</c>/<c>ложь</c>, dates as <c>02.01.2024 0:00:00</c>. Nothing depends on the machine's culture or zone.
/// </summary>
internal static class ValueConverter
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "d.M.yyyy", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss",
    ];

    private static readonly string[] ZonedFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Throws <see cref="ConversionException"/> with the reason when the value does not fit.</summary>
    public static JsonNode Apply(Conversion conversion, JsonElement value) => conversion switch
    {
        Conversion.String => JsonValue.Create(Text(value)),
        Conversion.Int => JsonValue.Create(ToInt(value)),
        Conversion.Decimal => JsonValue.Create(ToDecimal(value)),
        Conversion.Bool => JsonValue.Create(ToBool(value)),
        Conversion.Date => JsonValue.Create(ToDate(value)),
        Conversion.DateTime => JsonValue.Create(ToDateTime(value)),
        Conversion.Upper => JsonValue.Create(Text(value).ToUpperInvariant()),
        Conversion.Lower => JsonValue.Create(Text(value).ToLowerInvariant()),
        Conversion.Trim => JsonValue.Create(Text(value).Trim()),
        Conversion.Phone => JsonValue.Create(RussianPhone.Normalize(Text(value)) ?? throw new ConversionException("not a Russian phone number (+7 and 10 digits)")),
        _ => throw new ArgumentOutOfRangeException(nameof(conversion), conversion, null),
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new ConversionException($"{KindName(value)} is not text"),
    };

    private static long ToInt(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole))
        {
            return whole;
        }
        var number = ToDecimal(value);
        if (decimal.Truncate(number) != number)
        {
            throw new ConversionException("not a whole number");
        }
        if (number is < long.MinValue or > long.MaxValue)
        {
            throw new ConversionException("too large for an integer");
        }
        return (long)number;
    }

    private static decimal ToDecimal(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetDecimal(out var exact) ? exact : throw new ConversionException("too large for a decimal");
            case JsonValueKind.String:
                return ParseNumber(value.GetString()!);
            default:
                throw new ConversionException($"{KindName(value)} is not a number");
        }
    }

    private static decimal ParseNumber(string text)
    {
        // Spaces, no-break and thin spaces group thousands in Russian texts; a comma is the decimal separator there.
        var compact = new string(text.Where(c => c is not (' ' or '\u00A0' or '\u202F' or '\u2009')).ToArray());
        if (compact.Contains(',') && compact.Contains('.'))
        {
            throw new ConversionException("both ',' and '.' in a number: which one is the decimal separator is unclear");
        }
        compact = compact.Replace(',', '.');
        return decimal.TryParse(compact, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ConversionException("not a number");
    }

    private static bool ToBool(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when value.TryGetDecimal(out var n) && n is 0 or 1:
                return n == 1;
            case JsonValueKind.String:
                switch (value.GetString()!.Trim().ToLowerInvariant())
                {
                    case "true" or "yes" or "1" or "да" or "истина":
                        return true;
                    case "false" or "no" or "0" or "нет" or "ложь":
                        return false;
                }
                break;
        }
        throw new ConversionException("not a yes/no value (true/false, yes/no, да/нет, истина/ложь, 1/0)");
    }

    private static string ToDate(JsonElement value) =>
        ParseMoment(value).Local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string ToDateTime(JsonElement value)
    {
        var (local, offset) = ParseMoment(value);
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return offset switch
        {
            null => text,
            { } zero when zero == TimeSpan.Zero => text + "Z",
            { } some => text + (some < TimeSpan.Zero ? "-" : "+") + some.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The date and time as written, and its offset when one was written. No zone is assumed for the rest, so
    /// 1C's local times are not shifted by the machine the router happens to run on.
    /// </summary>
    private static (DateTime Local, TimeSpan? Offset) ParseMoment(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ConversionException($"{KindName(value)} is not a date");
        }
        var text = value.GetString()!.Trim();
        // AssumeUniversal only matters for the literal 'Z' formats, which would otherwise take the machine's offset.
        if (DateTimeOffset.TryParseExact(text, ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var zoned))
        {
            return (zoned.DateTime, zoned.Offset);
        }
        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (local, null);
        }
        throw new ConversionException("not a date (2024-01-31, 2024-01-31T10:00:00+03:00 or 31.01.2024)");
    }

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
