// FtpWebRequest is obsolete (SYSLIB0014) but is the only FTP client in the box (FluentFTP is not available to us);
// everything that touches it lives in this folder.
#pragma warning disable SYSLIB0014

using System.Net;
using System.Security.Authentication;
using System.Text;
using Router.Core.Failures;
using Router.Endpoints.Folder;

namespace Router.Endpoints.Remote.Ftp;

/// <summary>
/// FTP and explicit FTPS through FtpWebRequest, passive and binary. Each operation is one short connection
/// (KeepAlive off): a connection broken mid-transfer is never reused by the next operation or the next poll.
/// </summary>
internal sealed class FtpRemoteFiles : IRemoteFiles
{
    private readonly RemoteConnection connection;
    private readonly TimeProvider clock;

    public FtpRemoteFiles(RemoteConnection connection, TimeProvider clock)
    {
        this.connection = connection;
        this.clock = clock;
        if (connection.Scheme == RemoteScheme.Ftps && connection.CertificateThumbprint is { } thumbprint)
        {
            FtpsCertificatePins.Pin(connection.Host, thumbprint);
        }
    }

    public async Task<IReadOnlyList<FileObservation>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        var request = Create(directory, WebRequestMethods.Ftp.ListDirectoryDetails, isDirectory: true);
        string listing;
        using (var response = await SendAsync(request, "list", directory, cancellationToken))
        await using (var stream = response.GetResponseStream())
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            listing = await ReadOrFailAsync(() => reader.ReadToEndAsync(cancellationToken), request, "list", directory, cancellationToken);
        }
        return FtpListing.Parse(listing, clock.GetUtcNow().UtcDateTime)
            .Where(e => e.IsFile)
            .Select(e => new FileObservation(RemotePath.Combine(directory, e.Name), e.Name, e.Size, e.ModifiedUtc))
            .ToList();
    }

    public async Task DownloadAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        var request = Create(path, WebRequestMethods.Ftp.DownloadFile);
        using var response = await SendAsync(request, "download", path, cancellationToken);
        await using var stream = response.GetResponseStream();
        try
        {
            await ReadOrFailAsync(() => stream.CopyToAsync(destination, cancellationToken), request, "download", path, cancellationToken);
        }
        catch (SizeLimitExceededException)
        {
            // Stop the transfer instead of draining the rest of a file nobody will read.
            request.Abort();
            throw;
        }
    }

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var request = Create(path, WebRequestMethods.Ftp.UploadFile);
        using (cancellationToken.Register(request.Abort))
        {
            try
            {
                await using var stream = await request.GetRequestStreamAsync();
                await content.CopyToAsync(stream, cancellationToken);
            }
            catch (WebException ex)
            {
                throw Fail(ex, "upload", path, cancellationToken);
            }
            catch (AuthenticationException ex)
            {
                throw FtpFailures.CertificateRejected(ex, "upload", connection.Display(path));
            }
            catch (IOException ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TransientFailureException($"upload {connection.Display(path)}: the connection broke off ({connection.Scrub(ex.Message)})", ex);
            }
        }
        using var response = await SendAsync(request, "upload", path, cancellationToken);
    }

    public async Task RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        try
        {
            await RenameOnceAsync(from, to, cancellationToken);
            return;
        }
        catch (PermanentFailureException)
        {
            // Some servers (IIS) refuse to rename over an existing file; Unix servers replace it.
            if (!await ExistsAsync(to, cancellationToken) || !await ExistsAsync(from, cancellationToken))
            {
                throw;
            }
        }
        await DeleteAsync(to, cancellationToken);
        await RenameOnceAsync(from, to, cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(Create(path, WebRequestMethods.Ftp.DeleteFile), "delete", path, cancellationToken);
    }

    public async Task CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        // One listing when it exists (the usual case) instead of a refused MKD per level.
        if (await DirectoryExistsAsync(path, cancellationToken))
        {
            return;
        }
        foreach (var folder in RemotePath.Ancestry(path))
        {
            try
            {
                using var response = await SendAsync(Create(folder, WebRequestMethods.Ftp.MakeDirectory, isDirectory: true), "create folder", folder, cancellationToken);
            }
            catch (PermanentFailureException)
            {
                // 550 "already exists" is what we wanted; anything else shows when listing it fails too.
                if (!await DirectoryExistsAsync(folder, cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        var name = RemotePath.Name(path);
        var files = await ListAsync(RemotePath.Parent(path), cancellationToken);
        return files.Any(f => f.Name == name);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<bool> DirectoryExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await ListAsync(path, cancellationToken);
            return true;
        }
        catch (PermanentFailureException)
        {
            return false;
        }
    }

    private async Task RenameOnceAsync(string from, string to, CancellationToken cancellationToken)
    {
        var request = Create(from, WebRequestMethods.Ftp.Rename);
        // Absolute, so the server does not resolve it against the folder FtpWebRequest changed into.
        request.RenameTo = connection.FullPath(to);
        using var response = await SendAsync(request, "rename", from, cancellationToken);
    }

    private FtpWebRequest Create(string path, string method, bool isDirectory = false)
    {
        var fullPath = connection.FullPath(path);
        var escaped = string.Join('/', fullPath.Split('/').Select(Uri.EscapeDataString));
        if (isDirectory && !escaped.EndsWith('/'))
        {
            escaped += "/";
        }
        var host = connection.Host.Contains(':') ? $"[{connection.Host}]" : connection.Host;
        var request = (FtpWebRequest)WebRequest.Create(new Uri($"ftp://{host}:{connection.Port}{escaped}"));
        request.Method = method;
        request.Credentials = new NetworkCredential(connection.User ?? "anonymous", connection.Password ?? "");
        request.EnableSsl = connection.Scheme == RemoteScheme.Ftps;
        request.UsePassive = true;
        request.UseBinary = true;
        request.KeepAlive = false;
        request.Proxy = null;
        request.Timeout = (int)connection.Timeout.TotalMilliseconds;
        request.ReadWriteTimeout = (int)connection.Timeout.TotalMilliseconds;
        return request;
    }

    private async Task<FtpWebResponse> SendAsync(FtpWebRequest request, string operation, string path, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(request.Abort))
        {
            try
            {
                return (FtpWebResponse)await request.GetResponseAsync();
            }
            catch (WebException ex)
            {
                throw Fail(ex, operation, path, cancellationToken);
            }
            catch (AuthenticationException ex)
            {
                // A refused certificate surfaces bare, not wrapped in a WebException.
                throw FtpFailures.CertificateRejected(ex, operation, connection.Display(path));
            }
        }
    }

    private async Task<T> ReadOrFailAsync<T>(Func<Task<T>> read, FtpWebRequest request, string operation, string path, CancellationToken cancellationToken)
    {
        T result = default!;
        Func<Task> readInto = async () => result = await read();
        await ReadOrFailAsync(readInto, request, operation, path, cancellationToken);
        return result;
    }

    private async Task ReadOrFailAsync(Func<Task> read, FtpWebRequest request, string operation, string path, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(request.Abort))
        {
            try
            {
                await read();
            }
            catch (WebException ex)
            {
                throw Fail(ex, operation, path, cancellationToken);
            }
            catch (IOException ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TransientFailureException($"{operation} {connection.Display(path)}: the connection broke off ({connection.Scrub(ex.Message)})", ex);
            }
        }
    }

    private Exception Fail(WebException exception, string operation, string path, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellationToken);
        }
        return FtpFailures.Classify(exception, operation, connection.Display(path), connection);
    }
}
