using System.IO.Abstractions;
using System.Security.Cryptography;

namespace Router.Endpoints.Folder;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one: a temporary dot-file in the
/// same folder, flushed to disk, then renamed over the final name.
/// </summary>
public sealed class AtomicFileWriter
{
    private readonly IFileSystem fileSystem;

    public AtomicFileWriter(IFileSystem fileSystem)
    {
        this.fileSystem = fileSystem;
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = fileSystem.Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        var name = fileSystem.Path.GetFileName(path);
        fileSystem.Directory.CreateDirectory(directory);
        // Same folder, so the rename cannot cross file systems; the leading dot keeps folder pollers (ours included) away.
        var temporary = fileSystem.Path.Combine(directory, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            await using (var stream = fileSystem.FileStream.New(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                // Without this a power loss after the rename can leave the final name with empty content.
                stream.Flush(flushToDisk: true);
            }
            fileSystem.File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            fileSystem.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover dot-file is harmless; the error being reported matters more.
        }
    }
}
