using System.Security.Cryptography;
using System.Text;

namespace Router.Core.Messages;

/// <summary>
/// Deterministic message ids for sources that give none, and idempotency keys for outbound side effects.
/// Determinism is the point: a re-dropped file or a repeated webhook must map to the id it had the first time.
/// </summary>
public static class MessageIds
{
    /// <summary>A file's id: its name plus the start of its content hash, readable in <c>dlq list</c>.</summary>
    public static string ForFile(string fileName, string contentHash)
    {
        var hex = contentHash.StartsWith("sha256:", StringComparison.Ordinal) ? contentHash[7..] : contentHash;
        return $"file:{fileName}:{hex[..Math.Min(16, hex.Length)]}";
    }

    /// <summary>A webhook's id: event + object id + status, so a repeat of the same notification is a duplicate.</summary>
    public static string ForNotification(string source, string eventName, string objectId, string status) =>
        $"{source}:{eventName}:{objectId}:{status}";

    /// <summary>The key carried by every side effect of one delivery leg; the same across retries and replays.</summary>
    public static string IdempotencyKey(string messageId, string leg) => DeterministicGuid(messageId + "\n" + leg).ToString("D");

    /// <summary>A name-based GUID (RFC 9562 version 8 layout over SHA-256): stable, 36 chars, fits every partner's key limit.</summary>
    public static Guid DeterministicGuid(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
