using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Folder;
using Router.Endpoints.Shared;

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
        var format = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".xml" => InboundFileFormat.Xml,
            ".txt" or ".csv" => InboundFileFormat.Text,
            _ => InboundFileFormat.Json,
        };
        JsonElement json;
        try
        {
            // The folder endpoint's own reader: a file reads here exactly as it would from an inbox (.xml and .txt as { fileName, text }).
            json = new InboundPayloadReader(format, TextEncodings.Strict(TextEncodings.Utf8)).Read(System.IO.Path.GetFileName(path), bytes);
        }
        catch (InboundFileRejection e)
        {
            throw new UsageException(e.Message.StartsWith(System.IO.Path.GetFileName(path), StringComparison.Ordinal) ? $"{System.IO.Path.GetDirectoryName(path)}/{e.Message}" : $"{path}: {e.Message}");
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
