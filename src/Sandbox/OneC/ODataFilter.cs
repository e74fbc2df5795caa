using System.Globalization;
using System.Text.Json;

namespace Router.Sandbox.OneC;

/// <summary>
/// The part of OData v3's <c>$filter</c> the emulator understands: comparisons <c>Name eq literal</c> joined by
/// <c>and</c>, with string ('…', quotes doubled), boolean, number and guid'…' literals. Anything else is refused with
/// an error, never silently matched.
/// </summary>
public sealed class ODataFilter
{
    private readonly IReadOnlyList<(string Property, object? Value)> comparisons;

    private ODataFilter(IReadOnlyList<(string Property, object? Value)> comparisons)
    {
        this.comparisons = comparisons;
    }

    public static readonly ODataFilter All = new([]);

    /// <summary>Null with <paramref name="error"/> set when the filter is outside what the emulator understands.</summary>
    public static ODataFilter? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }
        var comparisons = new List<(string, object?)>();
        var position = 0;
        while (true)
        {
            var property = ReadWord(text, ref position);
            if (property.Length == 0 || ReadWord(text, ref position) != "eq")
            {
                error = $"the sandbox understands only \"Name eq value [and …]\" in $filter, not '{text}'";
                return null;
            }
            if (!TryReadLiteral(text, ref position, out var value))
            {
                error = $"cannot read the value compared with {property} in '{text}'";
                return null;
            }
            comparisons.Add((property, value));
            SkipSpaces(text, ref position);
            if (position >= text.Length)
            {
                return new ODataFilter(comparisons);
            }
            if (ReadWord(text, ref position) != "and")
            {
                error = $"the sandbox joins comparisons with 'and' only: '{text}'";
                return null;
            }
        }
    }

    public bool Matches(IReadOnlyDictionary<string, object?> row) =>
        comparisons.All(c => row.TryGetValue(c.Property, out var value) && Equal(value, c.Value));

    private static bool Equal(object? actual, object? expected) => (actual, expected) switch
    {
        (null, null) => true,
        (string a, string e) => a == e,
        (bool a, bool e) => a == e,
        (Guid a, Guid e) => a == e,
        (decimal a, decimal e) => a == e,
        (JsonElement { ValueKind: JsonValueKind.Number } a, decimal e) => a.GetDecimal() == e,
        _ => false,
    };

    private static string ReadWord(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '/'))
        {
            position++;
        }
        return text[start..position];
    }

    private static bool TryReadLiteral(string text, ref int position, out object? value)
    {
        SkipSpaces(text, ref position);
        value = null;
        if (position < text.Length && text[position] == '\'')
        {
            return TryReadQuoted(text, ref position, out value);
        }
        var word = ReadWord(text, ref position);
        if (word == "guid" && position < text.Length && text[position] == '\'')
        {
            if (TryReadQuoted(text, ref position, out var quoted) && Guid.TryParse((string)quoted!, out var guid))
            {
                value = guid;
                return true;
            }
            return false;
        }
        if (word is "true" or "false")
        {
            value = word == "true";
            return true;
        }
        if (word == "null")
        {
            return true;
        }
        if (decimal.TryParse(word, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }
        return false;
    }

    private static bool TryReadQuoted(string text, ref int position, out object? value)
    {
        var result = new System.Text.StringBuilder();
        position++;
        while (position < text.Length)
        {
            if (text[position] == '\'')
            {
                if (position + 1 < text.Length && text[position + 1] == '\'')
                {
                    result.Append('\'');
                    position += 2;
                    continue;
                }
                position++;
                value = result.ToString();
                return true;
            }
            result.Append(text[position++]);
        }
        value = null;
        return false;
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }
}
