namespace Router.Transformers.CommerceML;

/// <summary>1C writes the rouble as "руб", "руб.", "RUB", the old "RUR" or the numeric code 643; everything downstream wants RUB.</summary>
internal static class CurrencyCodes
{
    public const string Rouble = "RUB";

    public static string Normalize(string? text)
    {
        var code = text?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(code))
        {
            return Rouble;
        }
        return code.ToUpperInvariant() switch
        {
            "РУБ" or "RUB" or "RUR" or "643" => Rouble,
            var other => other,
        };
    }
}
