using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Remote;
using Router.Endpoints.Shared;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>An <c>onec-ftp</c> endpoint's outbound options: where documents for 1C are written, and how.</summary>
public sealed record OneCFtpOutboundOptions
{
    public const string DefaultFileName = "{messageId}.xml";

    public required RemoteConnection Connection { get; init; }

    /// <summary>The folder 1C loads from, under the URL's path.</summary>
    public required string Path { get; init; }

    public required FileNameTemplate FileName { get; init; }
    public BodyMode Body { get; init; } = BodyMode.Text;
    public bool Indent { get; init; }
    public string TextEncoding { get; init; } = TextEncodings.Utf8;

    public static OneCFtpOutboundOptions Read(ConfigMapping options, EndpointServices services)
    {
        FileNameTemplate fileName;
        try
        {
            fileName = FileNameTemplate.Parse(options.GetString(FolderOptionKeys.FileName, DefaultFileName), allowFolders: true);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(options[FolderOptionKeys.FileName]?.Mark ?? options.Mark, ex.Message);
        }
        return new OneCFtpOutboundOptions
        {
            Connection = RemoteConnectionOptions.Read(options, services),
            Path = RemotePath.Normalize(options.GetString(OneCFtpOptionKeys.Path, "/")),
            FileName = fileName,
            Body = BodyModes.Parse(options.GetString(FolderOptionKeys.Body, BodyModes.Text)),
            Indent = options.GetBool(FolderOptionKeys.Indent, false),
            TextEncoding = options.GetString(FolderOptionKeys.Encoding, TextEncodings.Utf8),
        };
    }
}
