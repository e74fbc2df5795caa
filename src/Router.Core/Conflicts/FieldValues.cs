using System.Text;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Messages;

namespace Router.Core.Conflicts;

/// <summary>
/// Compares tracked values the way people mean them, so a difference in writing is not taken for a change:
/// e-mails ignore case and surrounding spaces, phones compare as normalised Russian numbers (digits otherwise),
/// ИНН and КПП by their digits, other text with spaces trimmed and runs of spaces as one. Missing, null and blank
/// are the same "no value". Objects (an address) compare by content, whatever the key order.
/// </summary>
public static class FieldValues
{
    public static bool Same(string field, JsonElement? a, JsonElement? b) =>
        string.Equals(Normalize(field, a), Normalize(field, b), StringComparison.Ordinal);

    /// <summary>The value's comparable form, or null for no value.</summary>
    public static string? Normalize(string field, JsonElement? value)
    {
        if (value is not { } element)
        {
            return null;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.Object or JsonValueKind.Array:
                return PayloadHash.Compute(element);
            case JsonValueKind.String:
                var text = element.GetString()!;
                return string.IsNullOrWhiteSpace(text) ? null : NormalizeText(field, text);
            default:
                // Numbers and booleans: an ИНН written as a number compares with the same ИНН written as text.
                return NormalizeText(field, element.GetRawText());
        }
    }

    /// <summary>True when the element is no value at all (missing, null or blank text).</summary>
    public static bool IsEmpty(JsonElement? value) => Normalize("", value) is null;

    private static string NormalizeText(string field, string text)
    {
        switch (field.ToLowerInvariant())
        {
            case "email":
                return text.Trim().ToLowerInvariant();
            case "phone":
                return RussianPhone.Normalize(text) ?? DigitsOr(text);
            case "inn" or "kpp" or "ogrn":
                return DigitsOr(text);
            default:
                return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>The digits of <paramref name="text"/>; the trimmed text itself when it has none (so "нет" still differs from "-").</summary>
    private static string DigitsOr(string text)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }
        return digits.Length > 0 ? digits.ToString() : text.Trim();
    }

    /// <summary>A value for tables: text as it is, objects as compact JSON, "—" for no value.</summary>
    public static string Display(JsonElement? value) => value switch
    {
        null => "—",
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "—",
        { ValueKind: JsonValueKind.String } e => e.GetString()!.Length == 0 ? "—" : e.GetString()!,
        { } e => JsonSerializer.Serialize(e, RouterJson.Options),
    };
}
