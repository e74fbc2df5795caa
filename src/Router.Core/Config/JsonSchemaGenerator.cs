using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Config.Validation;
using Router.Core.Messages;

namespace Router.Core.Config;

/// <summary>
/// Writes a <see cref="SchemaNode"/> tree as a JSON Schema (draft 2020-12) for editors. The output is deterministic
/// (declared order, kinds and transformers sorted, "\n" line ends, trailing newline) so the committed
/// config/router.schema.json can be compared with a fresh one in a test. Parts used in more than one place
/// (resilience) go to <c>$defs</c>; endpoints are discriminated by <c>kind</c> with an <c>if</c>/<c>then</c> per kind.
/// </summary>
public static class JsonSchemaGenerator
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    internal const string DurationPattern = @"^\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|h|d)\s*$|^([0-9]+\.)?[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?$";

    internal const string SizePattern = @"^\s*[0-9]+(\.[0-9]+)?\s*([bB]|[kKmMgG][iI]?[bB])?\s*$";

    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Descriptions and keys may be Cyrillic (1C price types): keep them readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Generate(SchemaNode root, string title)
    {
        ArgumentNullException.ThrowIfNull(root);
        var definitions = SharedDefinitions(root);
        var writer = new Writer(definitions);
        var document = new JsonObject
        {
            ["$schema"] = Draft,
            ["title"] = title,
        };
        foreach (var (key, value) in writer.Write(root, allowReference: false))
        {
            document[key] = value?.DeepClone();
        }
        if (definitions.Count > 0)
        {
            var defs = new JsonObject();
            foreach (var (node, name) in definitions.OrderBy(d => d.Value, StringComparer.Ordinal))
            {
                defs[name] = writer.Write(node, allowReference: false);
            }
            document["$defs"] = defs;
        }
        return document.ToJsonString(Output) + "\n";
    }

    private static bool IsComposite(SchemaNode node) =>
        node is ObjectSchema or MapSchema or ArraySchema or DiscriminatedSchema or SingleKeySchema or ShapeChoiceSchema;

    /// <summary>Composite nodes reached more than once (by reference), named after the key where they first appear.</summary>
    private static Dictionary<SchemaNode, string> SharedDefinitions(SchemaNode root)
    {
        var uses = new Dictionary<SchemaNode, int>(ReferenceEqualityComparer.Instance);
        var hints = new Dictionary<SchemaNode, string>(ReferenceEqualityComparer.Instance);
        var order = new List<SchemaNode>();
        Visit(root, "root");

        var names = new Dictionary<SchemaNode, string>(ReferenceEqualityComparer.Instance);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in order.Where(n => uses[n] > 1 && !ReferenceEquals(n, root)))
        {
            var name = hints[node];
            for (var i = 2; !taken.Add(name); i++)
            {
                name = hints[node] + i;
            }
            names[node] = name;
        }
        return names;

        void Visit(SchemaNode node, string hint)
        {
            if (!IsComposite(node))
            {
                return;
            }
            if (uses.TryGetValue(node, out var count))
            {
                uses[node] = count + 1;
                return;
            }
            uses[node] = 1;
            hints[node] = hint;
            order.Add(node);
            foreach (var (child, childHint) in Children(node, hint))
            {
                Visit(child, childHint);
            }
        }
    }

    private static IEnumerable<(SchemaNode Node, string Hint)> Children(SchemaNode node, string hint)
    {
        switch (node)
        {
            case ObjectSchema obj:
                foreach (var property in obj.Properties)
                {
                    yield return (property.Schema, property.Name);
                }
                break;
            case MapSchema map:
                yield return (map.Values, hint + "Value");
                break;
            case ArraySchema array:
                yield return (array.Items, hint + "Item");
                if (array.AllowSingle)
                {
                    // Written twice (alone and as the list's items), so it is worth a definition.
                    yield return (array.Items, hint + "Item");
                }
                break;
            case DiscriminatedSchema discriminated:
                foreach (var variant in discriminated.Variants.Values)
                {
                    yield return (SchemaValidator.Merge(discriminated.Common, variant), hint);
                }
                break;
            case SingleKeySchema singleKey:
                foreach (var (name, variant) in singleKey.Variants)
                {
                    yield return (variant, name);
                }
                break;
            case ShapeChoiceSchema choice:
                foreach (var option in new[] { choice.Scalar, choice.Mapping, choice.Sequence }.OfType<SchemaNode>())
                {
                    yield return (option, hint);
                }
                break;
        }
    }

    private sealed class Writer(IReadOnlyDictionary<SchemaNode, string> definitions)
    {
        public JsonObject Write(SchemaNode node, bool allowReference = true)
        {
            if (allowReference && definitions.TryGetValue(node, out var name))
            {
                return new JsonObject { ["$ref"] = $"#/$defs/{name}" };
            }
            var json = new JsonObject();
            if ((node.Description ?? FormatHint(node)) is { } description)
            {
                json["description"] = description;
            }
            switch (node)
            {
                case StringSchema text:
                    WriteString(text, json);
                    break;
                case IntegerSchema integer:
                    json["type"] = "integer";
                    AddIfSet(json, "minimum", integer.Minimum);
                    AddIfSet(json, "maximum", integer.Maximum);
                    AddIfSet(json, "default", integer.Default);
                    break;
                case NumberSchema number:
                    json["type"] = "number";
                    AddIfSet(json, "minimum", number.Minimum);
                    AddIfSet(json, "maximum", number.Maximum);
                    AddIfSet(json, "default", number.Default);
                    break;
                case BooleanSchema boolean:
                    json["type"] = "boolean";
                    AddIfSet(json, "default", boolean.Default);
                    break;
                case AnySchema:
                    break;
                case ObjectSchema obj:
                    WriteObject(obj, json, discriminator: null);
                    break;
                case MapSchema map:
                    json["type"] = "object";
                    if (map.KeyPattern is { } keyPattern)
                    {
                        json["propertyNames"] = new JsonObject { ["pattern"] = keyPattern };
                    }
                    json["additionalProperties"] = Write(map.Values);
                    break;
                case ArraySchema array:
                    WriteArray(array, json);
                    break;
                case DiscriminatedSchema discriminated:
                    WriteDiscriminated(discriminated, json);
                    break;
                case SingleKeySchema singleKey:
                    WriteSingleKey(singleKey, json);
                    break;
                case ShapeChoiceSchema choice:
                    json["anyOf"] = new JsonArray(new[] { choice.Scalar, choice.Mapping, choice.Sequence }
                        .OfType<SchemaNode>().Select(option => (JsonNode)Write(option)).ToArray());
                    break;
                default:
                    throw new NotSupportedException($"schema node {node.GetType().Name} has no JSON Schema form");
            }
            return json;
        }

        private static string? FormatHint(SchemaNode node) => node is not StringSchema text ? null : text.Format switch
        {
            StringFormat.Duration => "A duration such as 500ms, 30s, 5m, 1h or 1d.",
            StringFormat.Size => "A size such as 512KB or 10MB.",
            StringFormat.Cron => "A cron expression: 5 fields (minute hour day month weekday) or 6 (seconds first).",
            StringFormat.Expression => "An expression over the message: a path such as $.customer.phone, or JavaScript with $ as the payload.",
            StringFormat.Url => "An absolute URL.",
            StringFormat.EndpointRef => "The id of an endpoint defined under endpoints:.",
            StringFormat.MessageType => "A canonical message type.",
            StringFormat.Path => "A path; relative paths are relative to the main configuration file.",
            _ => null,
        };

        private static void WriteString(StringSchema text, JsonObject json)
        {
            json["type"] = "string";
            var values = text.Enum ?? (text.Format == StringFormat.MessageType ? MessageTypes.All.Order(StringComparer.Ordinal).ToList() : null);
            if (values is not null)
            {
                json["enum"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            var pattern = text.Pattern ?? text.Format switch
            {
                StringFormat.Duration => DurationPattern,
                StringFormat.Size => SizePattern,
                StringFormat.EndpointRef => ConfigSchemaBuilder.IdPattern,
                _ => null,
            };
            if (pattern is not null && values is null)
            {
                json["pattern"] = pattern;
            }
            if (text.Default is { } value)
            {
                json["default"] = JsonSerializer.SerializeToNode(value, value.GetType());
            }
        }

        private void WriteObject(ObjectSchema obj, JsonObject json, (string Name, string Value)? discriminator)
        {
            json["type"] = "object";
            var properties = new JsonObject();
            foreach (var property in obj.Properties)
            {
                properties[property.Name] = discriminator is { } d && property.Name == d.Name
                    ? new JsonObject { ["const"] = d.Value }
                    : Write(property.Schema);
            }
            json["properties"] = properties;
            var required = obj.Properties.Where(p => p.Required).Select(p => (JsonNode?)JsonValue.Create(p.Name)).ToArray();
            if (required.Length > 0)
            {
                json["required"] = new JsonArray(required);
            }
            json["additionalProperties"] = false;
        }

        private void WriteArray(ArraySchema array, JsonObject json)
        {
            var list = new JsonObject { ["type"] = "array", ["items"] = Write(array.Items) };
            if (array.MinItems > 0)
            {
                list["minItems"] = array.MinItems;
            }
            if (!array.AllowSingle)
            {
                foreach (var (key, value) in list)
                {
                    json[key] = value?.DeepClone();
                }
                return;
            }
            json["anyOf"] = new JsonArray(Write(array.Items), list);
        }

        private void WriteDiscriminated(DiscriminatedSchema schema, JsonObject json)
        {
            var key = schema.Discriminator;
            var names = schema.Variants.Keys.Order(StringComparer.Ordinal).ToList();
            var discriminator = schema.Common.Find(key)?.Schema is { Description: { } description }
                ? new JsonObject { ["description"] = description }
                : new JsonObject();
            discriminator["enum"] = new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            json["type"] = "object";
            json["properties"] = new JsonObject { [key] = discriminator };
            json["required"] = new JsonArray(JsonValue.Create(key));
            var branches = new JsonArray();
            foreach (var name in names)
            {
                var then = new JsonObject();
                var merged = SchemaValidator.Merge(schema.Common, schema.Variants[name]);
                if (merged.Description is { } variantDescription)
                {
                    then["description"] = variantDescription;
                }
                WriteObject(merged, then, (key, name));
                branches.Add(new JsonObject
                {
                    ["if"] = new JsonObject
                    {
                        ["properties"] = new JsonObject { [key] = new JsonObject { ["const"] = name } },
                        ["required"] = new JsonArray(JsonValue.Create(key)),
                    },
                    ["then"] = then,
                });
            }
            json["allOf"] = branches;
        }

        private void WriteSingleKey(SingleKeySchema schema, JsonObject json)
        {
            json["type"] = "object";
            var properties = new JsonObject();
            foreach (var (name, options) in schema.Variants.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                var written = Write(options);
                // "- normalize:" with nothing after it is a step without options, as the loader reads it.
                if (options is ObjectSchema obj && !obj.Properties.Any(p => p.Required) && written["type"] is not null)
                {
                    written["type"] = new JsonArray("object", "null");
                }
                properties[name] = written;
            }
            json["properties"] = properties;
            json["additionalProperties"] = false;
            json["minProperties"] = 1;
            json["maxProperties"] = 1;
        }

        private static void AddIfSet<T>(JsonObject json, string key, T? value)
            where T : struct
        {
            if (value is { } set)
            {
                json[key] = JsonValue.Create(set);
            }
        }
    }
}
