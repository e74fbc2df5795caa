using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.CommerceML;

/// <summary>What the folder endpoint (<c>format: xml</c>) hands over: the file's name and its already decoded text.</summary>
internal sealed record CommerceMLInput(string FileName, string Text)
{
    public static CommerceMLInput From(Envelope input, string transformerName)
    {
        var payload = input.Payload;
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("text", out var text)
            || text.ValueKind != JsonValueKind.String)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"{transformerName}: expected a payload {{ \"fileName\": \"…\", \"text\": \"<xml…>\" }} as the folder endpoint with format: xml produces; " +
                $"message {input.MessageId} has no text");
        }
        var fileName = payload.TryGetProperty("fileName", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : "(unnamed file)";
        // A decoder that kept the byte order mark leaves U+FEFF in front of "<?xml", which the reader rejects.
        return new CommerceMLInput(fileName, text.GetString()!.TrimStart('\uFEFF'));
    }
}
