using Router.Core.Endpoints;
using Router.Endpoints.Remote.Ftp;
using Router.Endpoints.Remote.Local;
using Router.Endpoints.Remote.Sftp;

namespace Router.Endpoints.Remote;

/// <summary>Opens a session on a remote folder tree with the implementation its URL's scheme calls for.</summary>
public static class RemoteFiles
{
    public static IRemoteFiles Open(RemoteConnection connection, EndpointServices services) => connection.Scheme switch
    {
        RemoteScheme.Ftp or RemoteScheme.Ftps => new FtpRemoteFiles(connection, services.Clock),
        RemoteScheme.Sftp => new SftpRemoteFiles(connection, services.Logger.ForContext<SftpRemoteFiles>()),
        _ => new LocalRemoteFiles(connection, services.FileSystem),
    };
}
