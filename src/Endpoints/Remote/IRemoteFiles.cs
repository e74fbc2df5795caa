using Router.Endpoints.Folder;

namespace Router.Endpoints.Remote;

/// <summary>
/// A folder tree on another machine (FTP, FTPS, SFTP) or a mounted share, as much of it as file exchange needs.
/// Paths are absolute, '/'-separated, under the connection's root. One instance is one session: open it for a poll
/// or a delivery, then dispose it. Failures are <see cref="Router.Core.Failures.TransientFailureException"/> (connection
/// lost, server busy: try again) or <see cref="Router.Core.Failures.PermanentFailureException"/> (refused, missing,
/// not allowed); their messages show the location without credentials.
/// </summary>
public interface IRemoteFiles : IAsyncDisposable
{
    /// <summary>The files (not folders) directly in <paramref name="directory"/>, with size and modification time.</summary>
    Task<IReadOnlyList<FileObservation>> ListAsync(string directory, CancellationToken cancellationToken);

    /// <summary>Copies the file into <paramref name="destination"/>; an exception thrown by the destination (a size limit) passes through as it is.</summary>
    Task DownloadAsync(string path, Stream destination, CancellationToken cancellationToken);

    /// <summary>Writes the file, replacing one of the same name.</summary>
    Task UploadAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Renames, replacing a file already at <paramref name="to"/>.</summary>
    Task RenameAsync(string from, string to, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates the folder and any missing parents; an existing folder is fine.</summary>
    Task CreateDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Whether a file exists at <paramref name="path"/>.</summary>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);
}
