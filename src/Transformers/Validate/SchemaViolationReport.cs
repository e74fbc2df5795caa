using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace Router.Transformers.Validate;

/// <summary>
/// Lists what failed, one line per problem: <c>/customer/phone: required property missing</c>,
/// <c>/total: -1 should be at least 0</c>. Capped, because a payload of the wrong kind fails everywhere at once
/// and the first few lines already say why.
/// </summary>
internal static class SchemaViolationReport
{
    public const int MaxErrors = 10;

    public static string Describe(EvaluationResults results, JsonElement instance, LoadedSchema schema)
    {
        var lines = Collect(results, instance).Distinct(StringComparer.Ordinal).ToList();
        if (lines.Count == 0)
        {
            return $"the payload does not match {schema.Name}";
        }
        var shown = string.Join("; ", lines.Take(MaxErrors));
        var more = lines.Count > MaxErrors ? $"; … and {lines.Count - MaxErrors} more" : "";
        return $"the payload does not match {schema.Name}: {shown}{more}";
    }

    private static IEnumerable<string> Collect(EvaluationResults node, JsonElement instance)
    {
        foreach (var (keyword, message) in node.Errors ?? [])
        {
            var missing = keyword == "required" ? MissingProperties(node, message, instance) : null;
            if (missing is { Count: > 0 })
            {
                foreach (var name in missing)
                {
                    yield return $"{Show(node.InstanceLocation.Combine(name))}: required property missing";
                }
            }
            else
            {
                yield return $"{Show(node.InstanceLocation)}: {message}";
            }
        }
        foreach (var detail in node.Details ?? [])
        {
            foreach (var line in Collect(detail, instance))
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// The names a failed <c>required</c> asked for that the object lacks. They are read from the library's message
    /// (<c>Required properties ["phone"] are not present</c>, always English here): the schema location it reports
    /// for subschemas under <c>items</c> is wrong in JsonSchema.Net 8.0.5, so the schema cannot be looked up. Null when
    /// the message has another shape; the message is then shown as it is.
    /// </summary>
    private static List<string>? MissingProperties(EvaluationResults node, string message, JsonElement instance)
    {
        var open = message.IndexOf('[');
        var close = message.LastIndexOf(']');
        if (open < 0 || close < open)
        {
            return null;
        }
        string[]? names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(message[open..(close + 1)]);
        }
        catch (JsonException)
        {
            return null;
        }
        if (names is null)
        {
            return null;
        }
        return node.InstanceLocation.Evaluate(instance) is { ValueKind: JsonValueKind.Object } target
            ? names.Where(name => !target.TryGetProperty(name, out _)).ToList()
            : names.ToList();
    }

    private static string Show(JsonPointer location)
    {
        var text = location.ToString();
        return text.Length == 0 ? "(root)" : text;
    }
}
