using System.IO.Abstractions;
using Router.Core.Failures;
using Router.Endpoints.Folder;

namespace Router.Endpoints.Remote.Local;

/// <summary>
/// A local folder or a mounted share behind the remote interface, through System.IO.Abstractions like the folder
/// endpoint, so a 1C exchange folder on an SMB mount works the same as one on FTP.
/// </summary>
internal sealed class LocalRemoteFiles : IRemoteFiles
{
    private readonly RemoteConnection connection;
    private readonly IFileSystem fileSystem;

    public LocalRemoteFiles(RemoteConnection connection, IFileSystem fileSystem)
    {
        this.connection = connection;
        this.fileSystem = fileSystem;
    }

    public Task<IReadOnlyList<FileObservation>> ListAsync(string directory, CancellationToken cancellationToken) =>
        Run("list", directory, () =>
        {
            var local = connection.LocalPath(directory);
            if (!fileSystem.Directory.Exists(local))
            {
                throw new RemoteFileNotFoundException($"list {connection.Display(directory)}: no such folder");
            }
            IReadOnlyList<FileObservation> files = fileSystem.DirectoryInfo.New(local).EnumerateFiles()
                .Select(f => new FileObservation(RemotePath.Combine(directory, f.Name), f.Name, f.Length, f.LastWriteTimeUtc))
                .ToList();
            return Task.FromResult(files);
        });

    public Task DownloadAsync(string path, Stream destination, CancellationToken cancellationToken) =>
        Run("download", path, async () =>
        {
            await using var stream = fileSystem.File.OpenRead(connection.LocalPath(path));
            await stream.CopyToAsync(destination, cancellationToken);
            return true;
        });

    public Task UploadAsync(string path, Stream content, CancellationToken cancellationToken) =>
        Run("upload", path, async () =>
        {
            await using var stream = fileSystem.FileStream.New(connection.LocalPath(path), FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await content.CopyToAsync(stream, cancellationToken);
            // As the folder endpoint does: a power loss after the rename that follows must not leave an empty file.
            stream.Flush(flushToDisk: true);
            return true;
        });

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken) =>
        Run("rename", from, () =>
        {
            fileSystem.File.Move(connection.LocalPath(from), connection.LocalPath(to), overwrite: true);
            return Task.FromResult(true);
        });

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        Run("delete", path, () =>
        {
            var local = connection.LocalPath(path);
            if (!fileSystem.File.Exists(local))
            {
                throw new RemoteFileNotFoundException($"delete {connection.Display(path)}: no such file");
            }
            fileSystem.File.Delete(local);
            return Task.FromResult(true);
        });

    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        Run("create folder", path, () =>
        {
            fileSystem.Directory.CreateDirectory(connection.LocalPath(path));
            return Task.FromResult(true);
        });

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        Run("check", path, () => Task.FromResult(fileSystem.File.Exists(connection.LocalPath(path))));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<T> Run<T>(string operation, string path, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (FileNotFoundException ex)
        {
            throw new RemoteFileNotFoundException($"{operation} {connection.Display(path)}: no such file", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new RemoteFileNotFoundException($"{operation} {connection.Display(path)}: no such folder", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PermanentFailureException("permission-denied", $"{operation} {connection.Display(path)}: permission denied", ex);
        }
        catch (IOException ex)
        {
            // A share that went away, a full disk, a lock: all may pass.
            throw new TransientFailureException($"{operation} {connection.Display(path)}: {ex.Message}", ex);
        }
    }
}
