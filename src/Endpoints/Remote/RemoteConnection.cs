using System.Text;

namespace Router.Endpoints.Remote;

/// <summary>
/// Where a remote folder tree is and how to log in, read from an endpoint's options. Secrets (the password, the key's
/// passphrase) stay in here: everything shown to people goes through <see cref="Display"/> and <see cref="Scrub"/>.
/// </summary>
public sealed record RemoteConnection
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public required RemoteScheme Scheme { get; init; }

    /// <summary>Host name; empty for <see cref="RemoteScheme.Local"/>.</summary>
    public string Host { get; init; } = "";

    public int Port { get; init; }

    /// <summary>The folder the URL points at: remote paths are under it. For local folders, the absolute local path.</summary>
    public required string Root { get; init; }

    public string? User { get; init; }
    public string? Password { get; init; }

    /// <summary>SFTP: a private key file (OpenSSH or PEM) to log in with, instead of or besides the password.</summary>
    public string? PrivateKeyPath { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>SFTP: the server's host key fingerprint, <c>SHA256:…</c> as ssh-keygen -l prints it. Unset: any key is accepted and logged.</summary>
    public string? HostKeyFingerprint { get; init; }

    /// <summary>FTPS: the SHA-256 thumbprint of the server's certificate. Unset: the system's trust store decides.</summary>
    public string? CertificateThumbprint { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The URL itself came from a secret reference: show only its scheme and host.</summary>
    public bool UrlIsSecret { get; init; }

    public IEnumerable<string> SecretValues =>
        new[] { Password, PrivateKeyPassphrase }.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!);

    public string SchemeName => Scheme switch
    {
        RemoteScheme.Ftp => "ftp",
        RemoteScheme.Ftps => "ftps",
        RemoteScheme.Sftp => "sftp",
        _ => "file",
    };

    /// <summary>A remote path (under <see cref="Root"/>) as a URL people may see: the password is always <c>***</c>.</summary>
    public string Display(string path = "/")
    {
        if (Scheme == RemoteScheme.Local)
        {
            return "file://" + LocalPath(path);
        }
        var text = new StringBuilder(SchemeName).Append("://");
        if (!string.IsNullOrEmpty(User))
        {
            text.Append(Uri.EscapeDataString(User));
            if (!string.IsNullOrEmpty(Password))
            {
                text.Append(":***");
            }
            text.Append('@');
        }
        text.Append(Host.Contains(':') ? $"[{Host}]" : Host).Append(':').Append(Port);
        if (UrlIsSecret)
        {
            return text.Append("/***").ToString();
        }
        return text.Append(FullPath(path)).ToString();
    }

    /// <summary>The path on the server: <paramref name="path"/> under <see cref="Root"/>.</summary>
    public string FullPath(string path) => RemotePath.Combine(Root, path.TrimStart('/'));

    /// <summary>For <see cref="RemoteScheme.Local"/>: the local file system path of a remote path.</summary>
    public string LocalPath(string path)
    {
        var relative = RemotePath.Normalize(path).TrimStart('/');
        return relative.Length == 0 ? Root : System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));
    }

    /// <summary>Text from a server or a library with every secret replaced: the last line of defence before a log or an error.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in SecretValues.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
