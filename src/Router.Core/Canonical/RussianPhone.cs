using System.Text;

namespace Router.Core.Canonical;

/// <summary>
/// Normalises a Russian (+7) phone number as people write it (<c>8 (916) 123-45-67</c>, <c>+7 916 123 45 67</c>,
/// <c>9161234567</c>) to <c>+79161234567</c>, the form SMS gateways and CDEK expect. Lives in Core because the
/// map transformer converts with it and conflict detection compares customer phones with it: one rule for both.
/// </summary>
public static class RussianPhone
{
    private const int NationalLength = 10;

    /// <summary>Null when the text is not a +7 number: other country codes, extensions and letters are not guessed at.</summary>
    public static string? Normalize(string text)
    {
        var digits = new StringBuilder(12);
        var hasPlus = false;
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0 && !hasPlus)
            {
                hasPlus = true;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '\u00A0'))
            {
                return null;
            }
        }

        var number = digits.ToString();
        var national = number.Length switch
        {
            NationalLength + 1 when number[0] == '7' => number[1..],
            // 8 is the domestic trunk prefix; "+8…" is some other country.
            NationalLength + 1 when number[0] == '8' && !hasPlus => number[1..],
            NationalLength when !hasPlus => number,
            _ => null,
        };
        // Russian and Kazakh area codes start with 3–9; anything else is a typo or a foreign number.
        return national is not null && national[0] >= '3' ? "+7" + national : null;
    }
}
