using System.Text;

namespace Router.Endpoints.Shared;

/// <summary>Thrown by <see cref="StrictText"/> when bytes are not valid text in the expected encoding.</summary>
public sealed class InvalidTextException : Exception
{
    public InvalidTextException(string encodingName, long byteOffset, Exception? innerException = null)
        : base($"invalid {encodingName} at byte offset {byteOffset}", innerException)
    {
        EncodingName = encodingName;
        ByteOffset = byteOffset;
    }

    public string EncodingName { get; }

    /// <summary>0-based offset of the first bad byte, counted from the start of the input (a BOM included).</summary>
    public long ByteOffset { get; }
}

/// <summary>Decoding that reports where the input went wrong, so a person can open the file at that byte.</summary>
public static class StrictText
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static bool HasUtf8Bom(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Utf8Bom);

    /// <summary>Length of the UTF-8 byte order mark at the start of <paramref name="bytes"/>, or 0.</summary>
    public static int Utf8BomLength(ReadOnlySpan<byte> bytes) => HasUtf8Bom(bytes) ? Utf8Bom.Length : 0;

    /// <summary>Throws <see cref="InvalidTextException"/> at the first byte that is not part of valid UTF-8.</summary>
    public static void ValidateUtf8(ReadOnlySpan<byte> bytes, long offsetOfSpan = 0)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return;
        }
        var position = 0;
        while (position < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[position..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                break;
            }
            position += consumed;
        }
        throw new InvalidTextException(TextEncodings.Utf8, offsetOfSpan + position);
    }

    /// <summary>Decodes strictly; a UTF-8 byte order mark is dropped.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        if (TextEncodings.IsUtf8(encoding))
        {
            var bom = Utf8BomLength(bytes);
            ValidateUtf8(bytes[bom..], bom);
            return Encoding.UTF8.GetString(bytes[bom..]);
        }
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidTextException(encoding.WebName, ex.Index < 0 ? 0 : ex.Index, ex);
        }
    }
}
