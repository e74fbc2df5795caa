using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Folder;

/// <summary>A <c>folder</c> endpoint's outbound options.</summary>
public sealed record FolderOutboundOptions
{
    public const string DefaultFileName = "{messageId}.json";

    public required string Path { get; init; }
    public required FileNameTemplate FileName { get; init; }
    public BodyMode Body { get; init; } = BodyMode.Payload;
    public bool Indent { get; init; }

    /// <summary>body: text: the encoding used when the payload and its XML declaration name none.</summary>
    public string TextEncoding { get; init; } = TextEncodings.Utf8;

    public static FolderOutboundOptions Read(ConfigMapping options, EndpointServices services)
    {
        var template = options.GetString(FolderOptionKeys.FileName, DefaultFileName);
        FileNameTemplate fileName;
        try
        {
            fileName = FileNameTemplate.Parse(template);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(options[FolderOptionKeys.FileName]?.Mark ?? options.Mark, ex.Message);
        }
        return new FolderOutboundOptions
        {
            Path = services.ResolvePath(options.GetRequiredString(FolderOptionKeys.Path)),
            FileName = fileName,
            Body = BodyModes.Parse(options.GetString(FolderOptionKeys.Body, BodyModes.Payload)),
            Indent = options.GetBool(FolderOptionKeys.Indent, false),
            TextEncoding = options.GetString(FolderOptionKeys.Encoding, TextEncodings.Utf8),
        };
    }
}
