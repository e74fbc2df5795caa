namespace Router.Transformers.CommerceML;

/// <summary>
/// Our price codes for 1C price types (ТипЦены), keyed by either name or Ид: names are what people type in YAML,
/// ids survive a renamed price type in 1C.
/// </summary>
internal sealed class PriceTypeMapping(IReadOnlyList<KeyValuePair<string, string>> codes, bool onlyMapped)
{
    private readonly Dictionary<string, string> byKey = codes
        .GroupBy(c => c.Key.Trim(), StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    /// <summary>The code for a price type, its 1C name when unmapped, or null when unmapped types are dropped.</summary>
    public string? CodeFor(string typeId, string? typeName)
    {
        if (byKey.TryGetValue(typeId, out var byId))
        {
            return byId;
        }
        if (typeName is not null && byKey.TryGetValue(typeName, out var byName))
        {
            return byName;
        }
        // A type missing from ТипыЦен (a prices file sent alone) is known only by its Ид.
        return onlyMapped ? null : typeName ?? typeId;
    }
}
