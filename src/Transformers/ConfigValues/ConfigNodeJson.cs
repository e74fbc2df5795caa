using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Core.Config.Nodes;
using Router.Core.Messages;

namespace Router.Transformers.ConfigValues;

/// <summary>
/// Turns a piece of YAML (a constant, a default, an inline JSON Schema) into JSON. Plain scalars are typed by the
/// YAML 1.2 core schema: <c>123</c> and <c>1.50</c> are numbers (kept decimal-exact), <c>true</c> is a boolean,
/// <c>~</c> and <c>null</c> are null; quoted scalars are always text, and so are words like <c>yes</c> and <c>no</c>.
/// </summary>
internal static partial class ConfigNodeJson
{
    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();

    [GeneratedRegex(@"^0o[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexInteger();

    public static JsonElement ToElement(ConfigNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = RouterJson.Options.Encoder }))
        {
            Write(writer, node);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, ConfigNode node)
    {
        switch (node)
        {
            case ConfigMapping mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    writer.WritePropertyName(key.Value ?? "");
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case ConfigSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case ConfigScalar scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new InvalidOperationException($"unexpected config node {node.GetType().Name}");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, ConfigScalar scalar)
    {
        var text = scalar.Value;
        if (text is null)
        {
            writer.WriteNullValue();
            return;
        }
        if (scalar.IsQuoted)
        {
            writer.WriteStringValue(text);
            return;
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }
        if (DecimalInteger().IsMatch(text))
        {
            // Through BigInteger so "+5" and "007" become valid JSON without losing digits.
            writer.WriteRawValue(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
        else if (OctalInteger().IsMatch(text))
        {
            writer.WriteNumberValue(Convert.ToInt64(text[2..], 8));
        }
        else if (HexInteger().IsMatch(text))
        {
            writer.WriteRawValue(BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
        else if (Float().IsMatch(text))
        {
            WriteFloat(writer, text);
        }
        else
        {
            // .inf and .nan have no JSON form; like every other word they stay text.
            writer.WriteStringValue(text);
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, string text)
    {
        // decimal keeps the written scale, so a price of 1.50 stays 1.50.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
        {
            writer.WriteNumberValue(exact);
        }
        else
        {
            writer.WriteNumberValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }
}
