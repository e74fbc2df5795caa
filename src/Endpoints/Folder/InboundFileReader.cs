using System.Buffers;
using System.IO.Abstractions;
using System.Security.Cryptography;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Folder;

/// <summary>The outcome of reading one file: a message to hand off, a rejection, or nothing yet (gone, locked).</summary>
internal sealed record FileReading(FileObservation File, string? MessageId, InboundMessage? Message, string? ErrorCode, string? Error)
{
    /// <summary>Why a skipped file was not read this time, for the log (a lock is normal; a lasting I/O error is not).</summary>
    public string? SkipReason { get; init; }

    public bool IsSkipped => Message is null && Error is null;

    public static FileReading Ready(FileObservation file, InboundMessage message) => new(file, message.FallbackMessageId, message, null, null);

    public static FileReading Rejected(FileObservation file, string messageId, string code, string error) => new(file, messageId, null, code, error);

    public static FileReading Skipped(FileObservation file, string? reason = null) => new(file, null, null, null, null) { SkipReason = reason };
}

/// <summary>Reads a complete file within the size limit and builds its <see cref="InboundMessage"/>.</summary>
internal sealed class InboundFileReader
{
    private readonly IFileSystem fileSystem;
    private readonly FolderInboundOptions options;
    private readonly InboundPayloadReader payloads;

    public InboundFileReader(IFileSystem fileSystem, FolderInboundOptions options)
    {
        this.fileSystem = fileSystem;
        this.options = options;
        payloads = new InboundPayloadReader(options.Format, options.Encoding);
    }

    public async Task<FileReading> ReadAsync(FileObservation file, CancellationToken cancellationToken)
    {
        byte[]? content;
        try
        {
            content = file.Length > options.MaxFileSize ? null : await ReadWithinLimitAsync(file.FullPath, cancellationToken);
            if (content is null)
            {
                var hash = await HashAsync(file.FullPath, cancellationToken);
                return InboundFileMessages.TooLarge(file, file.Length, hash, options.MaxFileSize);
            }
        }
        catch (FileNotFoundException)
        {
            return FileReading.Skipped(file);
        }
        catch (IOException e)
        {
            // Locked by its writer: it is not complete after all; look again next poll. Said in the log, because a
            // lasting I/O error (a broken share) would otherwise keep the file waiting without a word.
            return FileReading.Skipped(file, e.Message);
        }

        return InboundFileMessages.FromContent(file, content, payloads, file.FullPath);
    }

    /// <summary>Null when the file holds more than the limit (it may have grown since it was listed).</summary>
    private async Task<byte[]?> ReadWithinLimitAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.File.OpenRead(path);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > options.MaxFileSize)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }
}
