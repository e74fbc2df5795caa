using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Messages;

namespace Router.Host.Cli;

/// <summary>
/// A file given with --input: either a whole envelope (an object with messageId, type and payload) or a payload,
/// which then becomes a message exactly as an inbound file would (id from the YAML expression or name + hash).
/// </summary>
public sealed record InputFile(string Path, Envelope? Envelope, InboundMessage Message)
{
    public static InputFile Read(string path, long maxSize)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UsageException($"{path}: no such file");
        }
        if (info.Length > maxSize)
        {
            throw new UsageException($"{path}: {info.Length} bytes is over the limit of {maxSize} bytes (router.limits.maxMessageSize)");
        }
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new UsageException($"{path}: not valid UTF-8 at byte {e.Index}");
        }
        JsonElement json;
        try
        {
            json = RouterJson.ParseElement(text);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
        var name = System.IO.Path.GetFileName(path);
        Envelope? envelope = null;
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("messageId", out _) && json.TryGetProperty("type", out _) && json.TryGetProperty("payload", out _))
        {
            try
            {
                envelope = json.Deserialize<Envelope>(RouterJson.Options);
            }
            catch (JsonException e)
            {
                throw new UsageException($"{path}: looks like an envelope but is not one: {e.Message}");
            }
        }
        var message = new InboundMessage
        {
            Payload = envelope?.Payload ?? json,
            MessageId = envelope?.MessageId,
            FallbackMessageId = MessageIds.ForFile(name, PayloadHash.ComputeForBytes(bytes)),
            Type = envelope?.Type,
            CorrelationId = envelope?.CorrelationId,
            EntityKey = envelope?.EntityKey,
            OccurredAt = envelope?.OccurredAt,
            Headers = envelope?.Headers ?? new Dictionary<string, string> { ["file-name"] = name },
            Origin = System.IO.Path.GetFullPath(path),
        };
        return new InputFile(path, envelope, message);
    }
}
