using System.Text;
using System.Text.Json;
using System.Xml;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Folder;

/// <summary>Turns a file's bytes into a payload according to the endpoint's <c>format</c> and <c>encoding</c>.</summary>
public sealed class InboundPayloadReader
{
    private readonly InboundFileFormat format;
    private readonly Encoding encoding;

    public InboundPayloadReader(InboundFileFormat format, Encoding encoding)
    {
        this.format = format;
        this.encoding = encoding;
    }

    /// <summary>Throws <see cref="InboundFileRejection"/> for content that is not what the format promises.</summary>
    public JsonElement Read(string fileName, ReadOnlyMemory<byte> content) => format switch
    {
        InboundFileFormat.Json => ReadJson(fileName, content),
        InboundFileFormat.Text => RouterJson.ToElement(new TextFilePayload(fileName, Decode(fileName, content.Span, encoding))),
        InboundFileFormat.Xml => RouterJson.ToElement(new TextFilePayload(fileName, ReadXml(fileName, content.Span))),
        InboundFileFormat.Binary => RouterJson.ToElement(new BinaryFilePayload(fileName, Convert.ToBase64String(content.Span))),
        _ => throw new InvalidOperationException($"unknown format {format}"),
    };

    private JsonElement ReadJson(string fileName, ReadOnlyMemory<byte> content)
    {
        try
        {
            if (TextEncodings.IsUtf8(encoding))
            {
                // Parsing the bytes directly keeps the error positions in bytes of the file as written.
                var bom = StrictText.Utf8BomLength(content.Span);
                var json = content[bom..];
                ValidateUtf8(fileName, json.Span, bom);
                using var document = JsonDocument.Parse(json, RouterJson.DocumentOptions);
                return document.RootElement.Clone();
            }
            using (var document = JsonDocument.Parse(Decode(fileName, content.Span, encoding), RouterJson.DocumentOptions))
            {
                return document.RootElement.Clone();
            }
        }
        catch (JsonException ex)
        {
            throw new InboundFileRejection(ErrorCodes.MalformedInput, DescribeJsonError(fileName, ex), ex);
        }
    }

    private string ReadXml(string fileName, ReadOnlySpan<byte> content)
    {
        var declared = Shared.XmlDeclaration.EncodingOf(content);
        var xmlEncoding = encoding;
        if (StrictText.HasUtf8Bom(content))
        {
            xmlEncoding = TextEncodings.Strict(TextEncodings.Utf8);
        }
        else if (declared is not null)
        {
            // An XML file says its own encoding (1C writes windows-1251 or UTF-8 and says which); the option is the fallback.
            xmlEncoding = TextEncodings.FindStrict(declared)
                ?? throw new InboundFileRejection(ErrorCodes.MalformedInput, $"{fileName}: the XML declares the encoding '{declared}', which the router does not know");
        }
        var text = Decode(fileName, content, xmlEncoding);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = true,
            IgnoreComments = true,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            // The DTD refusal comes without a position; the reader still knows where it stood.
            var (line, position) = ex.LineNumber > 0 ? (ex.LineNumber, ex.LinePosition)
                : reader is IXmlLineInfo info ? (Math.Max(info.LineNumber, 1), Math.Max(info.LinePosition, 1))
                : (1, 1);
            if (ex.Message.Contains("DTD", StringComparison.Ordinal))
            {
                throw new InboundFileRejection(
                    ErrorCodes.MalformedInput,
                    $"{fileName}: a DTD (<!DOCTYPE …>) at line {line}, position {position} is refused: the router never expands entities or loads external ones",
                    ex);
            }
            throw new InboundFileRejection(ErrorCodes.MalformedInput, $"{fileName}: malformed XML at line {line}, position {position}: {ex.Message}", ex);
        }
        return text;
    }

    private static string Decode(string fileName, ReadOnlySpan<byte> content, Encoding textEncoding)
    {
        try
        {
            return StrictText.Decode(content, textEncoding);
        }
        catch (InvalidTextException ex)
        {
            throw new InboundFileRejection(ErrorCodes.MalformedInput, $"{fileName}: {ex.Message}", ex);
        }
    }

    private static void ValidateUtf8(string fileName, ReadOnlySpan<byte> content, int offset)
    {
        try
        {
            StrictText.ValidateUtf8(content, offset);
        }
        catch (InvalidTextException ex)
        {
            throw new InboundFileRejection(ErrorCodes.MalformedInput, $"{fileName}: {ex.Message}", ex);
        }
    }

    private static string DescribeJsonError(string fileName, JsonException ex)
    {
        // System.Text.Json appends its own 0-based "LineNumber: … | BytePositionInLine: …"; people count from 1.
        var detail = ex.Message;
        var cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            detail = detail[..cut].TrimEnd();
        }
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $"{fileName}: malformed JSON at line {line + 1}, byte {position + 1}: {detail}"
            : $"{fileName}: malformed JSON: {detail}";
    }

    private sealed record TextFilePayload(string FileName, string Text);

    private sealed record BinaryFilePayload(string FileName, string ContentBase64);
}
