namespace Router.Endpoints.Remote;

/// <summary>Thrown by <see cref="SizeLimitedStream"/> when more bytes arrive than allowed.</summary>
public sealed class SizeLimitExceededException(long limit) : Exception($"more than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Collects a download in memory up to a limit, and hashes every byte it is given, so a file too large to keep can
/// still be named by its content hash without ever being held whole.
/// </summary>
public sealed class SizeLimitedStream : Stream
{
    private readonly long limit;
    private readonly bool throwOverLimit;
    private readonly MemoryStream buffer = new();
    private readonly System.Security.Cryptography.IncrementalHash hash =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

    /// <param name="throwOverLimit">Stop the download at the limit; otherwise keep hashing and only stop buffering.</param>
    public SizeLimitedStream(long limit, bool throwOverLimit = true)
    {
        this.limit = limit;
        this.throwOverLimit = throwOverLimit;
    }

    public long Received { get; private set; }

    public bool IsOverLimit => Received > limit;

    /// <summary>The bytes received; only meaningful while <see cref="IsOverLimit"/> is false.</summary>
    public byte[] ToArray() => buffer.ToArray();

    /// <summary><c>sha256:…</c> of every byte received, the form <see cref="Router.Core.Messages.MessageIds.ForFile"/> takes.</summary>
    public string ContentHash() => "sha256:" + Convert.ToHexStringLower(hash.GetCurrentHash());

    public override void Write(byte[] bufferToWrite, int offset, int count) => Write(bufferToWrite.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> bytes)
    {
        Received += bytes.Length;
        hash.AppendData(bytes);
        if (Received > limit)
        {
            buffer.SetLength(0);
            if (throwOverLimit)
            {
                throw new SizeLimitExceededException(limit);
            }
            return;
        }
        buffer.Write(bytes);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] bufferToWrite, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(bufferToWrite.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Received;

    public override long Position
    {
        get => Received;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] bufferToRead, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            buffer.Dispose();
            hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
