using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Expressions;
using Router.Core.Failures;

namespace Router.Transformers.Map;

/// <summary>
/// Builds the output object from the rules. Output fields appear in the order they are written in the YAML, and
/// values taken by a plain path are copied as they are, so numbers keep their exact text.
/// </summary>
internal sealed class FieldMapper(bool keepNulls)
{
    public JsonObject MapObject(IReadOnlyList<FieldRule> fields, MessageScope scope, FieldPath path)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            var value = MapField(field, scope, path.Child(field.Name));
            if (value is not null || keepNulls)
            {
                result[field.Name] = value;
            }
        }
        return result;
    }

    private JsonNode? MapField(FieldRule field, MessageScope scope, FieldPath path)
    {
        if (field.Each is null)
        {
            return MapValue(field, scope, path) ?? Fallback(field, path, field.Source.Describe());
        }

        var list = Evaluate(field.Each, scope, path);
        if (list.ValueKind == JsonValueKind.Undefined)
        {
            return Fallback(field, path, field.Each.Source);
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw MappingFailure.NotAList(path, field.Each.Source, list);
        }

        var items = new JsonArray();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = path.Item(index++);
            var value = MapValue(field, scope.Nested(item), itemPath);
            if (value is null && field.Required)
            {
                throw MappingFailure.Required(itemPath, field.Source.Describe());
            }
            // A missing item value stays a null so positions keep matching the source list.
            items.Add(value);
        }
        return items;
    }

    private JsonNode? MapValue(FieldRule field, MessageScope scope, FieldPath path)
    {
        JsonElement value;
        switch (field.Source)
        {
            case ObjectSource nested:
                return MapObject(nested.Fields, scope, path);
            case ConstantSource constant:
                value = constant.Value;
                break;
            case ExpressionSource expression:
                value = Evaluate(expression.Expression, scope, path);
                break;
            case FormatSource format:
                var text = Render(format.Template, scope, path, out var missing);
                if (missing is not null && field.Required)
                {
                    throw MappingFailure.Required(path, "{" + missing.Source + "}");
                }
                value = JsonSerializer.SerializeToElement(text);
                break;
            default:
                throw new InvalidOperationException($"unknown value source {field.Source.GetType().Name}");
        }

        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (field.Convert is not { } conversion)
        {
            return ToNode(value);
        }
        try
        {
            return ValueConverter.Apply(conversion, value);
        }
        catch (ConversionException e)
        {
            throw MappingFailure.Conversion(path, field.Source.Describe(), value, ConversionNames.NameOf(conversion), e.Message);
        }
    }

    private static JsonNode? Fallback(FieldRule field, FieldPath path, string source)
    {
        if (field.Default is { } fallback)
        {
            return ToNode(fallback);
        }
        if (field.Required)
        {
            throw MappingFailure.Required(path, source);
        }
        return null;
    }

    private static JsonElement Evaluate(MessageExpression expression, MessageScope scope, FieldPath path)
    {
        try
        {
            return expression.EvaluateElement(scope);
        }
        catch (PermanentFailureException e)
        {
            throw MappingFailure.Expression(path, e);
        }
    }

    private static string Render(FormatTemplate template, MessageScope scope, FieldPath path, out MessageExpression? missing)
    {
        try
        {
            return template.Render(scope, out missing);
        }
        catch (PermanentFailureException e)
        {
            throw MappingFailure.Expression(path, e);
        }
    }

    /// <summary>Wraps the element without copying it; serialising the node writes the element's own text.</summary>
    private static JsonNode? ToNode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(value),
        JsonValueKind.Array => JsonArray.Create(value),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => JsonValue.Create(value),
    };
}
