using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;

namespace Router.Core.Config.Validation;

/// <summary>How messages name what was written and what was expected, without ever showing a secret.</summary>
internal static class ValueText
{
    private const int MaxShown = 40;

    public static string Quote(string name) => $"'{name}'";

    /// <summary>"a mapping", "a list", "empty", "'abc'", or "a secret value".</summary>
    public static string Describe(ConfigNode node, bool secret = false) => node switch
    {
        ConfigMapping => "a mapping",
        ConfigSequence => "a list",
        ConfigScalar { IsNull: true } => "empty",
        ConfigScalar s when secret || s.IsSecret => "a secret value",
        ConfigScalar s => Shown(s.Value!),
        _ => node.ShapeName,
    };

    /// <summary>The value in quotes; long or multi-line values are cut to the start of their first line.</summary>
    public static string Shown(string value)
    {
        var firstLine = value.Split('\n')[0];
        return firstLine.Length == value.Length && value.Length <= MaxShown
            ? $"'{value}'"
            : $"'{firstLine[..Math.Min(MaxShown, firstLine.Length)]}…'";
    }

    /// <summary>What a schema wants, as a phrase: "an integer", "true or false", "text or a mapping".</summary>
    public static string Expected(SchemaNode schema) => schema switch
    {
        StringSchema => "text",
        IntegerSchema => "an integer",
        NumberSchema => "a number",
        BooleanSchema => "true or false",
        ObjectSchema or MapSchema or DiscriminatedSchema or SingleKeySchema => "a mapping",
        ArraySchema { AllowSingle: true } array => $"a list or {Expected(array.Items)}",
        ArraySchema => "a list",
        ShapeChoiceSchema choice => string.Join(" or ", new[] { choice.Scalar, choice.Mapping, choice.Sequence }.OfType<SchemaNode>().Select(Expected)),
        _ => "a value",
    };

    public static string List(IEnumerable<string> names) => string.Join(", ", names);
}
