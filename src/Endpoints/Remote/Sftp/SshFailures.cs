using System.Net.Sockets;
using Renci.SshNet.Common;
using Router.Core.Failures;

namespace Router.Endpoints.Remote.Sftp;

/// <summary>
/// SSH errors by whether trying again can help: a refused login, an unverified host key, a missing file or a
/// denied permission are permanent; a dropped connection, a timeout or a generic server failure are transient.
/// </summary>
internal static class SshFailures
{
    /// <param name="hostKeyRefused">Our own host key check said no: the connection error that follows is about that.</param>
    public static Exception Classify(Exception exception, string operation, string display, RemoteConnection connection, bool hostKeyRefused)
    {
        var detail = connection.Scrub(exception.Message);
        if (hostKeyRefused && exception is SshConnectionException)
        {
            return new PermanentFailureException(
                "sftp-host-key",
                $"{operation} {display}: the server's host key does not match the pinned 'hostKey' fingerprint",
                exception);
        }
        return exception switch
        {
            SshAuthenticationException => new PermanentFailureException("sftp-login", $"{operation} {display}: the server refused the login ({detail})", exception),
            SftpPathNotFoundException => new RemoteFileNotFoundException($"{operation} {display}: no such file or folder", exception),
            SftpPermissionDeniedException => new PermanentFailureException("sftp-permission", $"{operation} {display}: permission denied ({detail})", exception),
            SshOperationTimeoutException or TimeoutException => new TransientFailureException($"{operation} {display}: no answer in time ({detail})", exception),
            SocketException or IOException or ProxyException or SshConnectionException =>
                new TransientFailureException($"{operation} {display}: the connection failed or broke off ({detail})", exception),
            ObjectDisposedException => new TransientFailureException($"{operation} {display}: the connection was closed ({detail})", exception),
            SshException => new TransientFailureException($"{operation} {display}: the server reported a failure ({detail})", exception),
            _ => exception,
        };
    }
}
