using System.Collections.Concurrent;
using Renci.SshNet;
using Renci.SshNet.Common;
using Router.Core.Failures;
using Router.Endpoints.Folder;
using Serilog;

namespace Router.Endpoints.Remote.Sftp;

/// <summary>
/// SFTP through SSH.NET, with a password and/or a private key, and the server's host key pinned or logged.
/// Connects on first use and again after the connection dropped, so one broken transfer does not sink the session.
/// </summary>
internal sealed class SftpRemoteFiles : IRemoteFiles
{
    // Logged once per process and key, not on every poll.
    private static readonly ConcurrentDictionary<string, byte> LoggedHostKeys = new(StringComparer.Ordinal);

    private readonly RemoteConnection connection;
    private readonly ILogger logger;
    private SftpClient? client;
    private bool hostKeyRefused;

    public SftpRemoteFiles(RemoteConnection connection, ILogger logger)
    {
        this.connection = connection;
        this.logger = logger;
    }

    /// <summary>Normalises a fingerprint as ssh-keygen prints it (<c>SHA256:base64</c>) to the bare base64 SSH.NET reports.</summary>
    public static string NormalizeFingerprint(string fingerprint)
    {
        var text = fingerprint.Trim();
        if (text.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..];
        }
        return text.TrimEnd('=');
    }

    public Task<IReadOnlyList<FileObservation>> ListAsync(string directory, CancellationToken cancellationToken) =>
        RunAsync("list", directory, async sftp =>
        {
            var files = new List<FileObservation>();
            await foreach (var entry in sftp.ListDirectoryAsync(connection.FullPath(directory), cancellationToken))
            {
                if (entry.IsRegularFile)
                {
                    files.Add(new FileObservation(RemotePath.Combine(directory, entry.Name), entry.Name, entry.Length, entry.LastWriteTimeUtc));
                }
            }
            return (IReadOnlyList<FileObservation>)files;
        }, cancellationToken);

    public Task DownloadAsync(string path, Stream destination, CancellationToken cancellationToken) =>
        RunAsync("download", path, async sftp =>
        {
            await sftp.DownloadFileAsync(connection.FullPath(path), destination, cancellationToken);
            return true;
        }, cancellationToken);

    public Task UploadAsync(string path, Stream content, CancellationToken cancellationToken) =>
        RunAsync("upload", path, async sftp =>
        {
            await sftp.UploadFileAsync(content, connection.FullPath(path), cancellationToken);
            return true;
        }, cancellationToken);

    public Task RenameAsync(string from, string to, CancellationToken cancellationToken) =>
        RunAsync("rename", from, async sftp =>
        {
            // Only the posix-rename extension replaces an existing target in one step (plain SFTP rename refuses),
            // and SSH.NET offers it synchronously only.
            await Task.Run(() => sftp.RenameFile(connection.FullPath(from), connection.FullPath(to), isPosix: true), cancellationToken);
            return true;
        }, cancellationToken);

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        RunAsync("delete", path, async sftp =>
        {
            await sftp.DeleteFileAsync(connection.FullPath(path), cancellationToken);
            return true;
        }, cancellationToken);

    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        RunAsync("create folder", path, async sftp =>
        {
            foreach (var folder in RemotePath.Ancestry(connection.FullPath(path)))
            {
                if (!await sftp.ExistsAsync(folder, cancellationToken))
                {
                    await sftp.CreateDirectoryAsync(folder, cancellationToken);
                }
            }
            return true;
        }, cancellationToken);

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        RunAsync("check", path, async sftp =>
        {
            var full = connection.FullPath(path);
            if (!await sftp.ExistsAsync(full, cancellationToken))
            {
                return false;
            }
            var attributes = await sftp.GetAttributesAsync(full, cancellationToken);
            return attributes.IsRegularFile;
        }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        client?.Dispose();
        client = null;
        return ValueTask.CompletedTask;
    }

    private async Task<T> RunAsync<T>(string operation, string path, Func<SftpClient, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            var sftp = await ConnectedAsync(cancellationToken);
            return await action(sftp);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or SizeLimitExceededException or TransientFailureException or PermanentFailureException))
        {
            if (FindLimit(ex) is { } limit)
            {
                throw limit;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var classified = SshFailures.Classify(ex, operation, connection.Display(path), connection, hostKeyRefused);
            if (classified is TransientFailureException)
            {
                // The session may be half dead; the next operation starts a fresh one.
                await DisposeAsync();
            }
            if (ReferenceEquals(classified, ex))
            {
                throw;
            }
            throw classified;
        }
    }

    private static SizeLimitExceededException? FindLimit(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SizeLimitExceededException limit)
            {
                return limit;
            }
        }
        return null;
    }

    private async Task<SftpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (client is { IsConnected: true })
        {
            return client;
        }
        client?.Dispose();
        client = new SftpClient(ConnectionInfo());
        client.HostKeyReceived += CheckHostKey;
        client.OperationTimeout = connection.Timeout;
        await client.ConnectAsync(cancellationToken);
        return client;
    }

    private ConnectionInfo ConnectionInfo()
    {
        var user = connection.User ?? throw new PermanentFailureException("sftp-login", $"{connection.Display()}: SFTP needs a 'user'");
        var methods = new List<AuthenticationMethod>();
        if (connection.PrivateKeyPath is { } keyPath)
        {
            PrivateKeyFile key;
            try
            {
                key = connection.PrivateKeyPassphrase is { } passphrase ? new PrivateKeyFile(keyPath, passphrase) : new PrivateKeyFile(keyPath);
            }
            catch (Exception ex) when (ex is IOException or SshException or UnauthorizedAccessException or ArgumentException)
            {
                throw new PermanentFailureException("sftp-key", $"{connection.Display()}: cannot read the private key file {keyPath}: {connection.Scrub(ex.Message)}", ex);
            }
            methods.Add(new PrivateKeyAuthenticationMethod(user, key));
        }
        if (connection.Password is { } password)
        {
            methods.Add(new PasswordAuthenticationMethod(user, password));
        }
        if (methods.Count == 0)
        {
            throw new PermanentFailureException("sftp-login", $"{connection.Display()}: SFTP needs a 'password' or a 'privateKey'");
        }
        return new ConnectionInfo(connection.Host, connection.Port, user, [.. methods]) { Timeout = connection.Timeout };
    }

    private void CheckHostKey(object? sender, HostKeyEventArgs e)
    {
        var seen = "SHA256:" + e.FingerPrintSHA256;
        if (connection.HostKeyFingerprint is { } pinned)
        {
            e.CanTrust = string.Equals(NormalizeFingerprint(pinned), NormalizeFingerprint(seen), StringComparison.Ordinal);
            hostKeyRefused = !e.CanTrust;
            if (!e.CanTrust)
            {
                logger.Error("SFTP server {Host}:{Port} presented host key {Fingerprint} ({KeyType}), not the pinned one; refusing to connect",
                    connection.Host, connection.Port, seen, e.HostKeyName);
            }
            return;
        }
        e.CanTrust = true;
        if (LoggedHostKeys.TryAdd($"{connection.Host}:{connection.Port}:{seen}", 0))
        {
            logger.Warning("SFTP server {Host}:{Port} presented host key {Fingerprint} ({KeyType}); it is not pinned: set hostKey to this fingerprint after checking it with the server's owner",
                connection.Host, connection.Port, seen, e.HostKeyName);
        }
    }
}
