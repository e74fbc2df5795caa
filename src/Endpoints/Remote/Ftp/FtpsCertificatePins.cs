using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Router.Endpoints.Remote.Ftp;

/// <summary>
/// Certificate pinning for FTPS. FtpWebRequest offers no per-request validation hook: its TLS streams ask the
/// process-wide <see cref="ServicePointManager.ServerCertificateValidationCallback"/>. So one callback is installed
/// the first time a pin is configured; it accepts exactly the pinned certificates for a pinned host name, and
/// leaves every other host to the system's trust store, as if no callback were installed.
/// </summary>
internal static class FtpsCertificatePins
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> PinsByHost = new(StringComparer.OrdinalIgnoreCase);
    private static int installed;

    /// <summary>Normalises a thumbprint as people write it (hex, with or without colons or spaces) to lower-case hex.</summary>
    public static string? Normalize(string thumbprint)
    {
        var hex = new string(thumbprint.Where(c => c is not (':' or ' ' or '-')).ToArray()).ToLowerInvariant();
        if (hex.StartsWith("sha256", StringComparison.Ordinal))
        {
            hex = hex[6..].TrimStart('=');
        }
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    public static void Pin(string host, string normalizedThumbprint)
    {
        PinsByHost.GetOrAdd(host, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(normalizedThumbprint, 0);
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
#pragma warning disable SYSLIB0014 // FtpWebRequest is obsolete but the only FTP client in the box; this is its only TLS hook.
            ServicePointManager.ServerCertificateValidationCallback = Validate;
#pragma warning restore SYSLIB0014
        }
    }

    public static string Thumbprint(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    private static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName;
        if (host is not null && PinsByHost.TryGetValue(host, out var pins))
        {
            // A pinned host is trusted for its pinned certificate alone, self-signed or not; nothing else passes.
            return certificate is not null && pins.ContainsKey(Thumbprint(certificate));
        }
        return errors == SslPolicyErrors.None;
    }
}
