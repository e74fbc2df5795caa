using System.Text;
using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Shared;

/// <summary>Bytes to send and how to show them: the content type and the text encoding (<c>router preview</c> decodes with it).</summary>
public sealed record SerializedBody(byte[] Bytes, string ContentType, string EncodingName);

/// <summary>Serialises what an outbound endpoint sends, with the router's JSON settings so files and requests read alike.</summary>
public static class DeliveryBody
{
    public const string JsonContentType = "application/json";

    /// <summary>The header a transformer sets to say what its text is (commerceml-order: application/xml).</summary>
    public const string ContentTypeHeader = "content-type";

    public static byte[] Serialize(Envelope envelope, BodyMode mode, bool indented = false)
    {
        if (mode == BodyMode.Text)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "text bodies are written with ForFile");
        }
        var options = indented ? RouterJson.Indented : RouterJson.Options;
        if (mode == BodyMode.Envelope)
        {
            return JsonSerializer.SerializeToUtf8Bytes(envelope, options);
        }
        if (envelope.Payload.ValueKind == JsonValueKind.Undefined)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId} has no payload to send");
        }
        return JsonSerializer.SerializeToUtf8Bytes(envelope.Payload, options);
    }

    /// <summary>
    /// A file's content. In <see cref="BodyMode.Text"/> the payload is <c>{ text, encoding? }</c> and the text is written
    /// byte for byte in the encoding it names (else the one its XML declaration names, else <paramref name="fallbackEncoding"/>),
    /// strictly: a character that encoding cannot hold is a permanent failure naming where it is, never a silent '?'.
    /// </summary>
    public static SerializedBody ForFile(Envelope envelope, BodyMode mode, bool indented, string fallbackEncoding)
    {
        if (mode != BodyMode.Text)
        {
            return new SerializedBody(Serialize(envelope, mode, indented), JsonContentType, TextEncodings.Utf8);
        }
        var (text, declared) = ReadTextPayload(envelope);
        var inProlog = XmlDeclaration.EncodingOf(text);
        if (declared is not null && inProlog is not null && !SameEncoding(declared, inProlog))
        {
            throw new PermanentFailureException(
                ErrorCodes.MalformedInput,
                $"message {envelope.MessageId}: the payload says encoding '{declared}' but its XML declares '{inProlog}'; the file would lie about its bytes");
        }
        var name = declared ?? inProlog ?? fallbackEncoding;
        var encoding = TextEncodings.FindStrict(name)
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId}: unknown text encoding '{name}'");
        byte[] bytes;
        try
        {
            bytes = encoding.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId}: {Describe(ex, text, name)}", ex);
        }
        var contentType = envelope.Headers.TryGetValue(ContentTypeHeader, out var declaredType) && declaredType.Length > 0 ? declaredType : "text/plain";
        return new SerializedBody(bytes, $"{contentType}; charset={encoding.WebName}", encoding.WebName);
    }

    private static (string Text, string? Encoding) ReadTextPayload(Envelope envelope)
    {
        var payload = envelope.Payload;
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("text", out var text)
            || text.ValueKind != JsonValueKind.String)
        {
            throw new PermanentFailureException(
                ErrorCodes.MalformedInput,
                $"message {envelope.MessageId}: body 'text' needs a payload {{ text, encoding }} (as commerceml-order writes), and this payload has no text");
        }
        string? encoding = null;
        if (payload.TryGetProperty("encoding", out var named) && named.ValueKind == JsonValueKind.String)
        {
            encoding = named.GetString();
        }
        return (text.GetString()!, string.IsNullOrWhiteSpace(encoding) ? null : encoding);
    }

    private static bool SameEncoding(string a, string b) =>
        TextEncodings.FindStrict(a) is { } left && TextEncodings.FindStrict(b) is { } right && left.CodePage == right.CodePage;

    private static string Describe(EncoderFallbackException ex, string text, string encodingName)
    {
        var index = Math.Clamp(ex.Index, 0, text.Length);
        var line = 1;
        var column = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        var code = ex.CharUnknownHigh != '\0'
            ? char.ConvertToUtf32(ex.CharUnknownHigh, ex.CharUnknownLow)
            : ex.CharUnknown;
        return $"the text cannot be written in {encodingName}: character U+{code:X4} at line {line}, column {column} has no byte in that encoding";
    }
}
