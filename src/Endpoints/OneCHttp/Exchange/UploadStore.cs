using System.Buffers;
using System.IO.Abstractions;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// Writes 1C's <c>mode=file</c> bodies into the session's folder. A file larger than <c>file_limit</c> arrives as
/// several requests with the same name, so each body is appended, as Bitrix does (it opens with "ab").
/// </summary>
internal sealed class UploadStore
{
    private static readonly byte[][] ZipSignatures = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08]];

    private readonly IFileSystem fileSystem;
    private readonly ExchangeOptions options;

    public UploadStore(IFileSystem fileSystem, ExchangeOptions options)
    {
        this.fileSystem = fileSystem;
        this.options = options;
    }

    public string PathOf(ExchangeSession session, string name) => fileSystem.Path.Combine(session.UploadDir, name);

    /// <summary>Empties the session's folder: <c>init</c> starts a new set of files.</summary>
    public void Clear(ExchangeSession session)
    {
        if (fileSystem.Directory.Exists(session.UploadDir))
        {
            fileSystem.Directory.Delete(session.UploadDir, recursive: true);
        }
        fileSystem.Directory.CreateDirectory(session.UploadDir);
        session.UploadedBytes = 0;
        session.Imported.Clear();
    }

    /// <summary>
    /// Appends the body to the file and returns its new size. A refusal (zip, over a limit) leaves what was written
    /// in place, so the caller can keep it aside: nothing 1C sent is silently dropped.
    /// </summary>
    public async Task<long> AppendAsync(ExchangeSession session, string name, Stream body, CancellationToken cancellationToken)
    {
        var path = PathOf(session, name);
        var full = fileSystem.Path.GetFullPath(path);
        if (!full.StartsWith(fileSystem.Path.GetFullPath(session.UploadDir) + fileSystem.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // UploadName already refuses such names; this is the second lock on the same door.
            throw new UploadRefusal(OneCErrorCodes.BadFileName, $"filename '{UploadName.Shown(name)}' leaves the exchange folder");
        }
        fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(full)!);
        var size = fileSystem.File.Exists(full) ? fileSystem.FileInfo.New(full).Length : 0;
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var file = fileSystem.FileStream.New(full, FileMode.Append, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var checkSignature = size == 0;
            int read;
            while ((read = await ReadBlockAsync(body, buffer, checkSignature ? ZipSignatures[0].Length : 1, cancellationToken)) > 0)
            {
                var allowed = Math.Min(read, Math.Min(options.MaxFileSize - size, options.MaxUploadSize - session.UploadedBytes));
                var kept = (int)Math.Max(0, allowed);
                await file.WriteAsync(buffer.AsMemory(0, kept), cancellationToken);
                size += kept;
                session.UploadedBytes += kept;
                if (checkSignature && IsZip(buffer.AsSpan(0, read)))
                {
                    throw new UploadRefusal(OneCErrorCodes.ZipRefused,
                        $"'{UploadName.Shown(name)}' is a zip archive, but the router answered zip=no: set 1C's exchange to send files uncompressed");
                }
                checkSignature = false;
                if (kept < read)
                {
                    throw size >= options.MaxFileSize
                        ? new UploadRefusal(OneCErrorCodes.TooLarge, $"'{UploadName.Shown(name)}' is larger than the limit of {options.MaxFileSize} bytes (maxFileSize)")
                        : new UploadRefusal(OneCErrorCodes.TooLarge, $"this exchange sent more than {options.MaxUploadSize} bytes in all (maxUploadSize); '{UploadName.Shown(name)}' was cut off");
                }
            }
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at least <paramref name="minimum"/> bytes unless the body ends first, so a signature split across reads is still seen.</summary>
    private static async Task<int> ReadBlockAsync(Stream body, byte[] buffer, int minimum, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        do
        {
            read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            filled += read;
        }
        while (read > 0 && filled < minimum);
        return filled;
    }

    private static bool IsZip(ReadOnlySpan<byte> head)
    {
        foreach (var signature in ZipSignatures)
        {
            if (head.StartsWith(signature))
            {
                return true;
            }
        }
        return false;
    }
}
