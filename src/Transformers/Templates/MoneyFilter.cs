using System.Globalization;
using Fluid;
using Fluid.Values;

namespace Router.Transformers.Templates;

/// <summary>
/// The <c>rub</c> filter: <c>"1234.5" | rub</c> gives <c>1 234,50 ₽</c>. Amounts travel as invariant decimal strings
/// (what the canonical model serialises), so the template decides how they look; a value that is not a number is
/// a render error rather than a silently wrong amount in a customer's SMS.
/// </summary>
internal static class MoneyFilter
{
    public const string Name = "rub";

    // Russian money style: no-break space between thousands, comma before kopecks, the sign after a no-break space.
    private static readonly NumberFormatInfo RussianMoney = new()
    {
        NumberGroupSeparator = "\u00A0",
        NumberDecimalSeparator = ",",
        NumberGroupSizes = [3],
        NegativeSign = "-",
    };

    public static ValueTask<FluidValue> Format(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var text = input.ToStringValue();
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException($"'{text}' is not an amount (expected an invariant decimal such as 1234.50)");
        }
        return new ValueTask<FluidValue>(new StringValue(amount.ToString("N2", RussianMoney) + "\u00A0₽"));
    }
}
