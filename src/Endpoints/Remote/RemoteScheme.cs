namespace Router.Endpoints.Remote;

/// <summary>How the remote folder is reached, chosen by the URL's scheme.</summary>
public enum RemoteScheme
{
    /// <summary><c>ftp://</c>: plain FTP, passive mode.</summary>
    Ftp,

    /// <summary><c>ftps://</c>: FTP with explicit TLS (AUTH TLS on the FTP port), control and data encrypted.</summary>
    Ftps,

    /// <summary><c>sftp://</c>: SSH file transfer.</summary>
    Sftp,

    /// <summary><c>file://</c> or a plain path: a local folder or a mounted share.</summary>
    Local,
}
