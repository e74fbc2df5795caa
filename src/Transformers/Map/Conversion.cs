namespace Router.Transformers.Map;

/// <summary>What <c>convert:</c> can turn a value into; the YAML names are the lower-case member names.</summary>
internal enum Conversion
{
    String,
    Int,
    Decimal,
    Bool,
    Date,
    DateTime,
    Upper,
    Lower,
    Trim,
    Phone,
}

internal static class ConversionNames
{
    public static readonly IReadOnlyList<string> All = Enum.GetValues<Conversion>().Select(NameOf).ToList();

    public static string NameOf(Conversion conversion) => conversion.ToString().ToLowerInvariant();

    public static Conversion? Parse(string name) =>
        Enum.GetValues<Conversion>().Where(c => NameOf(c) == name).Select(c => (Conversion?)c).FirstOrDefault();
}
