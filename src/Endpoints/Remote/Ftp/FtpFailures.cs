// FtpWebRequest and FtpWebResponse are obsolete (SYSLIB0014) but are the only FTP client in the box (FluentFTP is not available to us).
#pragma warning disable SYSLIB0014

using System.Net;
using System.Security.Authentication;
using Router.Core.Failures;

namespace Router.Endpoints.Remote.Ftp;

/// <summary>
/// FTP's answer codes say whether trying again can help: 4xx are transient by definition (busy, connection closed,
/// no space for now), 5xx permanent (not logged in, no such file, not allowed). Connection errors are transient.
/// </summary>
internal static class FtpFailures
{
    public static Exception Classify(WebException exception, string operation, string display, RemoteConnection connection)
    {
        if (exception.Response is FtpWebResponse { StatusCode: var status } response && (int)status >= 400)
        {
            var code = (int)status;
            var answer = connection.Scrub(response.StatusDescription?.Trim() ?? status.ToString());
            var message = $"{operation} {display}: the server answered {answer}";
            if (code < 500)
            {
                return new TransientFailureException(message, exception);
            }
            if (code == 550 && operation is "download" or "delete" or "rename")
            {
                return new RemoteFileNotFoundException(message, exception);
            }
            return new PermanentFailureException($"ftp-{code}", message, exception);
        }
        if (IsCertificateRejection(exception))
        {
            return CertificateRejected(exception, operation, display);
        }
        return new TransientFailureException($"{operation} {display}: {Describe(exception, connection)}", exception);
    }

    public static PermanentFailureException CertificateRejected(Exception exception, string operation, string display) => new(
        "ftps-certificate",
        $"{operation} {display}: the server's TLS certificate is not trusted (pin its SHA-256 fingerprint with 'certificate', or install its issuer)",
        exception);

    private static bool IsCertificateRejection(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }
        return exception is WebException { Status: WebExceptionStatus.TrustFailure };
    }

    private static string Describe(WebException exception, RemoteConnection connection)
    {
        var detail = exception.Status == WebExceptionStatus.UnknownError ? exception.Message : $"{exception.Status}: {exception.Message}";
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            detail += $" ({inner.Message})";
        }
        return connection.Scrub(detail);
    }
}
