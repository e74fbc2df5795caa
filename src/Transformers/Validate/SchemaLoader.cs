using System.Text.Json;
using Json.Schema;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.ConfigValues;

namespace Router.Transformers.Validate;

/// <summary>
/// Loads the schema of a validate step when the route is built: a JSON file relative to the config file, or the
/// schema written inline in YAML. Any problem is a <see cref="ConfigException"/> at the <c>schema</c> option.
/// </summary>
internal static class SchemaLoader
{
    public static LoadedSchema Load(ConfigNode node, TransformerCreationContext context) => node switch
    {
        ConfigScalar { Value: { } path } => FromFile(node, path, context),
        ConfigMapping => Build(node, ConfigNodeJson.ToElement(node), "the inline schema"),
        _ => throw new ConfigException(node.Mark, $"'schema' must be a file path or a schema written as a mapping, not {node.ShapeName}"),
    };

    private static LoadedSchema FromFile(ConfigNode node, string path, TransformerCreationContext context)
    {
        var fileSystem = context.FileSystem;
        var fullPath = fileSystem.Path.GetFullPath(fileSystem.Path.Combine(context.BaseDirectory, path));
        if (!fileSystem.File.Exists(fullPath))
        {
            throw new ConfigException(node.Mark, $"schema file '{path}' does not exist (looked for {fullPath})");
        }
        JsonElement document;
        try
        {
            document = RouterJson.ParseElement(fileSystem.File.ReadAllText(fullPath));
        }
        catch (JsonException e)
        {
            throw new ConfigException(node.Mark, $"schema file '{path}' is not valid JSON: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ConfigException(node.Mark, $"schema file '{path}' cannot be read: {e.Message}");
        }
        return Build(node, document, $"schema '{path}'");
    }

    private static LoadedSchema Build(ConfigNode node, JsonElement document, string name)
    {
        if (document.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            throw new ConfigException(node.Mark, $"{name} must be a JSON object (or true/false), not {document.ValueKind.ToString().ToLowerInvariant()}");
        }
        if (FindExternalReference(document) is { } reference)
        {
            // Checked here because the library only notices at the first message, which would dead-letter it.
            throw new ConfigException(node.Mark, $"{name} refers to '{reference}'; only references inside the same schema (\"#/...\") are supported");
        }
        try
        {
            // A registry of its own: the global one refuses a second schema with the same $id, and two routes may share a file.
            var schema = JsonSchema.Build(document, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            return new LoadedSchema(schema, name);
        }
        catch (Exception e) when (e is JsonSchemaException or ArgumentException or JsonException or InvalidOperationException)
        {
            throw new ConfigException(node.Mark, $"{name} is not a valid JSON Schema: {e.Message}");
        }
    }

    private static string? FindExternalReference(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "$ref" or "$dynamicRef" && property.Value.ValueKind == JsonValueKind.String
                        && !property.Value.GetString()!.StartsWith('#'))
                    {
                        return property.Value.GetString();
                    }
                    if (FindExternalReference(property.Value) is { } nested)
                    {
                        return nested;
                    }
                }
                return null;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FindExternalReference).FirstOrDefault(r => r is not null);
            default:
                return null;
        }
    }
}
