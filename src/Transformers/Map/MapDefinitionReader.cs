using System.Text.Json;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Expressions;
using Router.Core.Messages;
using Router.Transformers.ConfigValues;

namespace Router.Transformers.Map;

/// <summary>
/// Reads a map step's options into <see cref="MapDefinition"/>, compiling every expression once. Problems are
/// <see cref="ConfigException"/>s at the offending node: the schema catches most, this catches the rest
/// (expressions and formats that do not parse, contradictory keys, nesting below the described depth).
/// </summary>
internal static class MapDefinitionReader
{
    private static readonly string[] ValueKeys = ["path", "const", "format", "fields"];

    private static readonly HashSet<string> FieldKeys = [.. ValueKeys, "each", "convert", "required", "default"];

    private static readonly MessageExpression TheItemItself = MessageExpression.Compile("$");

    public static MapDefinition Read(ConfigMapping options)
    {
        var type = options.GetString("type");
        if (type is not null && !MessageTypes.IsKnown(type))
        {
            throw new ConfigException(options["type"]!.Mark,
                $"'{type}' is not a message type; known types: {string.Join(", ", MessageTypes.All.Order(StringComparer.Ordinal))}");
        }
        var fields = options.GetMapping("fields") ?? throw new ConfigException(options.Mark, "'fields' is required");

        return new MapDefinition(ReadFields(fields, "fields"))
        {
            Type = type,
            EntityKey = ConfigExpressions.CompileOptional(options, "entityKey"),
            EntityVersion = ConfigExpressions.CompileOptional(options, "entityVersion"),
            KeepNulls = options.GetBool("keepNulls", false),
        };
    }

    private static List<FieldRule> ReadFields(ConfigMapping fields, string where) =>
        fields.Entries.Select(entry => ReadField(entry.Key.Value ?? "", entry.Value, $"{where}.{entry.Key.Value}")).ToList();

    private static FieldRule ReadField(string name, ConfigNode node, string where) => node switch
    {
        ConfigScalar scalar when ExpressionOrConstant.IsExpression(scalar) =>
            new FieldRule(name, new ExpressionSource(ConfigExpressions.Compile(scalar, where))),
        ConfigScalar scalar when ExpressionOrConstant.IsEscapedDollar(scalar) =>
            new FieldRule(name, new ConstantSource(JsonSerializer.SerializeToElement(ExpressionOrConstant.ConstantText(scalar)))),
        ConfigScalar scalar => new FieldRule(name, new ConstantSource(ConfigNodeJson.ToElement(scalar))),
        ConfigMapping mapping => ReadFieldMapping(name, mapping, where),
        _ => throw new ConfigException(node.Mark,
            $"'{where}' must be an expression, a constant or a mapping such as {{ path: …, convert: … }}; for a constant list write {{ const: [...] }}"),
    };

    private static FieldRule ReadFieldMapping(string name, ConfigMapping spec, string where)
    {
        foreach (var (key, _) in spec.Entries)
        {
            if (!FieldKeys.Contains(key.Value ?? ""))
            {
                throw new ConfigException(key.Mark, $"'{where}' has an unknown key '{key.Value}'; a field may have {string.Join(", ", FieldKeys)}");
            }
        }
        var sources = ValueKeys.Where(spec.Contains).ToList();
        if (sources.Count > 1)
        {
            throw new ConfigException(spec.Mark, $"'{where}' takes its value from one of {string.Join(", ", ValueKeys)}, not from {string.Join(" and ", sources)}");
        }

        var each = spec["each"] is { } eachNode ? ConfigExpressions.Compile(eachNode, where + ".each") : null;
        ValueSource source = sources.SingleOrDefault() switch
        {
            "path" => new ExpressionSource(ConfigExpressions.Compile(spec["path"]!, where + ".path")),
            "const" => new ConstantSource(ConfigNodeJson.ToElement(spec["const"]!)),
            "format" => ReadFormat(spec["format"]!, where + ".format"),
            "fields" => ReadNestedFields(spec["fields"]!, where + ".fields"),
            // With each and nothing else, the value is the item itself.
            _ when each is not null => new ExpressionSource(TheItemItself),
            _ => throw new ConfigException(spec.Mark, $"'{where}' needs a value: one of {string.Join(", ", ValueKeys)} (or each)"),
        };

        var convert = ReadConversion(spec, where);
        if (convert is not null && source is ObjectSource)
        {
            throw new ConfigException(spec["convert"]!.Mark, $"'{where}': convert applies to single values, not to fields");
        }
        var required = spec.GetBool("required", false);
        var fallback = spec["default"] is { } defaultNode ? ConfigNodeJson.ToElement(defaultNode) : (JsonElement?)null;
        if (required && fallback is not null)
        {
            throw new ConfigException(spec["default"]!.Mark, $"'{where}' is required, so a default would never be used");
        }

        return new FieldRule(name, source) { Each = each, Convert = convert, Required = required, Default = fallback };
    }

    private static Conversion? ReadConversion(ConfigMapping spec, string where)
    {
        var name = spec.GetString("convert");
        if (name is null)
        {
            return null;
        }
        return ConversionNames.Parse(name)
            ?? throw new ConfigException(spec["convert"]!.Mark, $"'{where}': unknown conversion '{name}'; known: {string.Join(", ", ConversionNames.All)}");
    }

    private static FormatSource ReadFormat(ConfigNode node, string where)
    {
        if (node is not ConfigScalar { Value: { } text })
        {
            throw new ConfigException(node.Mark, $"'{where}' must be text");
        }
        try
        {
            return new FormatSource(FormatTemplate.Parse(text));
        }
        catch (FormatException e)
        {
            throw new ConfigException(node.Mark, $"'{where}': {e.Message}");
        }
    }

    private static ObjectSource ReadNestedFields(ConfigNode node, string where) =>
        node is ConfigMapping fields
            ? new ObjectSource(ReadFields(fields, where))
            : throw new ConfigException(node.Mark, $"'{where}' must be a mapping of field names to values");
}
