using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Remote.Ftp;

namespace Router.Endpoints.Remote;

/// <summary>The connection options' schema and reader, shared by every endpoint kind that works on a remote folder.</summary>
public static class RemoteConnectionOptions
{
    public static readonly IReadOnlyList<PropertySchema> Schema =
    [
        new(RemoteOptionKeys.Url, new StringSchema
        {
            Pattern = @"^(?:(?:ftps?|sftp|file)://.+|[^:]+)$",
            PatternDescription = "an ftp://, ftps://, sftp:// or file:// URL, or a local path",
            Description = "Where the exchange folders are: ftp://host:21/ (passive), ftps://host:21/ (explicit TLS), sftp://host:22/home/1c, file:///mnt/1c or a path relative to the config file. Remote paths are under the URL's path. Keep credentials out of it: use user and password.",
        }) { Required = true },
        new(RemoteOptionKeys.User, new StringSchema { Description = "The login name (FTP: anonymous when unset)." }),
        new(RemoteOptionKeys.Password, new StringSchema { Secret = true, Description = "The password; use ${env:…} or ${file:…}. Never shown: *** in logs, preview, errors and the journal." }),
        new(RemoteOptionKeys.PrivateKeyFile, new StringSchema
        {
            Format = StringFormat.Path,
            Description = "SFTP: a private key file (OpenSSH or PEM) to log in with, relative to the config file.",
        }),
        new(RemoteOptionKeys.Passphrase, new StringSchema { Secret = true, Description = "SFTP: the private key's passphrase, if it has one." }),
        new(RemoteOptionKeys.HostKey, new StringSchema
        {
            Pattern = @"^SHA256:[A-Za-z0-9+/]{43}=?$",
            PatternDescription = "a fingerprint such as SHA256:… as ssh-keygen -lf prints it",
            Description = "SFTP: the server's host key fingerprint; any other key is refused. Unset: any key is accepted and its fingerprint is logged, to pin it.",
        }),
        new(RemoteOptionKeys.Certificate, new StringSchema
        {
            Pattern = @"^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$",
            PatternDescription = "a SHA-256 certificate fingerprint in hex (colons allowed), as openssl x509 -fingerprint -sha256 prints it",
            Description = "FTPS: accept exactly this server certificate (self-signed ones included). Unset: the system's trust store decides.",
        }),
        new(RemoteOptionKeys.Timeout, new StringSchema
        {
            Format = StringFormat.Duration,
            Description = "How long to wait for the server to connect or answer.",
            Default = "30s",
        }),
    ];

    public static RemoteConnection Read(ConfigMapping options, EndpointServices services)
    {
        var urlNode = options[RemoteOptionKeys.Url]!;
        var urlIsSecret = options.IsSecret(RemoteOptionKeys.Url);
        var text = options.GetRequiredString(RemoteOptionKeys.Url);
        var timeout = options.GetDuration(RemoteOptionKeys.Timeout, RemoteConnection.DefaultTimeout);
        var keyFile = options.GetString(RemoteOptionKeys.PrivateKeyFile) is { } key ? services.ResolvePath(key) : null;
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return new RemoteConnection { Scheme = RemoteScheme.Local, Root = services.ResolvePath(text), Timeout = timeout };
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new ConfigException(urlNode.Mark, urlIsSecret ? "'url' is not a valid URL" : $"'url' is not a valid URL: '{Mask(text)}'");
        }
        var scheme = url.Scheme.ToLowerInvariant() switch
        {
            "ftp" => RemoteScheme.Ftp,
            "ftps" => RemoteScheme.Ftps,
            "sftp" => RemoteScheme.Sftp,
            "file" => RemoteScheme.Local,
            var other => throw new ConfigException(urlNode.Mark, $"'url' must be ftp://, ftps://, sftp:// or file://, not {other}://"),
        };
        if (scheme == RemoteScheme.Local)
        {
            return new RemoteConnection { Scheme = scheme, Root = url.LocalPath, Timeout = timeout };
        }
        var (urlUser, urlPassword) = UserInfo(url);
        var thumbprint = options.GetString(RemoteOptionKeys.Certificate);
        if (thumbprint is not null && scheme != RemoteScheme.Ftps)
        {
            throw new ConfigException(options[RemoteOptionKeys.Certificate]!.Mark, "'certificate' pins an FTPS server's certificate; the url is not ftps://");
        }
        if (options.GetString(RemoteOptionKeys.HostKey) is not null && scheme != RemoteScheme.Sftp)
        {
            throw new ConfigException(options[RemoteOptionKeys.HostKey]!.Mark, "'hostKey' pins an SFTP server's key; the url is not sftp://");
        }
        return new RemoteConnection
        {
            Scheme = scheme,
            Host = url.IdnHost.Trim('[', ']'),
            Port = url.Port > 0 ? url.Port : scheme == RemoteScheme.Sftp ? 22 : 21,
            Root = RemotePath.Normalize(Uri.UnescapeDataString(url.AbsolutePath)),
            User = options.GetString(RemoteOptionKeys.User) ?? urlUser,
            Password = options.GetString(RemoteOptionKeys.Password) ?? urlPassword,
            PrivateKeyPath = keyFile,
            PrivateKeyPassphrase = options.GetString(RemoteOptionKeys.Passphrase),
            HostKeyFingerprint = options.GetString(RemoteOptionKeys.HostKey),
            CertificateThumbprint = thumbprint is null ? null : FtpsCertificatePins.Normalize(thumbprint)
                ?? throw new ConfigException(options[RemoteOptionKeys.Certificate]!.Mark, "'certificate' must be a SHA-256 fingerprint: 64 hex digits"),
            Timeout = timeout,
            UrlIsSecret = urlIsSecret,
        };
    }

    private static (string? User, string? Password) UserInfo(Uri url)
    {
        if (url.UserInfo.Length == 0)
        {
            return (null, null);
        }
        var colon = url.UserInfo.IndexOf(':');
        return colon < 0
            ? (Uri.UnescapeDataString(url.UserInfo), null)
            : (Uri.UnescapeDataString(url.UserInfo[..colon]), Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]));
    }

    /// <summary>A URL as it may appear in a configuration error: a password in it is masked.</summary>
    private static string Mask(string url)
    {
        var at = url.IndexOf('@');
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || schemeEnd < 0 || at < schemeEnd)
        {
            return url;
        }
        var userInfo = url[(schemeEnd + 3)..at];
        var colon = userInfo.IndexOf(':');
        return colon < 0 ? url : url[..(schemeEnd + 3)] + userInfo[..colon] + ":***" + url[at..];
    }
}
