using System.Globalization;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>Amounts as the CommerceML standard writes them (ФорматСуммы ЧДЦ=2, ЧРД=.): invariant, two decimals.</summary>
internal static class CommerceAmounts
{
    public static string Format(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Quantities get two decimals too, but keep a finer fraction of weighed goods ("0.125").</summary>
    public static string Quantity(decimal value) => value.ToString("0.00##", CultureInfo.InvariantCulture);
}
