namespace Router.Transformers.Map;

/// <summary>The map transformer's <c>convert: phone</c>; the rule itself is <see cref="Core.Canonical.RussianPhone"/>, shared with conflict detection.</summary>
internal static class RussianPhone
{
    public static string? Normalize(string text) => Core.Canonical.RussianPhone.Normalize(text);
}
