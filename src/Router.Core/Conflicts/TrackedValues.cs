using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Messages;

namespace Router.Core.Conflicts;

/// <summary>Reads the tracked fields out of a canonical payload, and writes resolved values back into it.</summary>
public static class TrackedValues
{
    /// <summary>The tracked top-level fields that have a value; missing, null and blank ones are left out.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Read(JsonElement payload, IReadOnlyList<TrackedField> fields)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return values;
        }
        foreach (var field in fields)
        {
            if (payload.TryGetProperty(field.Name, out var value) && !FieldValues.IsEmpty(value))
            {
                values[field.Name] = value.Clone();
            }
        }
        return values;
    }

    /// <summary>
    /// The payload with each named field set to its value (removed for no value). Untouched when nothing differs,
    /// so a message without conflicts travels exactly as the steps made it.
    /// </summary>
    public static JsonElement Write(JsonElement payload, IReadOnlyDictionary<string, JsonElement?> values)
    {
        var changed = values.Where(v => !Equal(payload, v.Key, v.Value)).ToList();
        if (changed.Count == 0 || payload.ValueKind != JsonValueKind.Object)
        {
            return payload;
        }
        var node = JsonNode.Parse(payload.GetRawText())!.AsObject();
        foreach (var (name, value) in changed)
        {
            if (value is { } element && !FieldValues.IsEmpty(element))
            {
                node[name] = JsonNode.Parse(element.GetRawText());
            }
            else
            {
                node.Remove(name);
            }
        }
        return RouterJson.ToElement(node);
    }

    /// <summary>Exactly equal (not merely the same once normalised): a resolved value keeps the winner's spelling.</summary>
    private static bool Equal(JsonElement payload, string name, JsonElement? value)
    {
        var present = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var current) ? current : (JsonElement?)null;
        if (FieldValues.IsEmpty(present) || FieldValues.IsEmpty(value))
        {
            return FieldValues.IsEmpty(present) && FieldValues.IsEmpty(value);
        }
        return present!.Value.GetRawText() == value!.Value.GetRawText();
    }
}
