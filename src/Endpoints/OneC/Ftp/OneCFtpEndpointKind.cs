using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Remote;
using Router.Endpoints.Shared;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>1C's file exchange folder on FTP, FTPS, SFTP or a share: CommerceML in from 1C, documents out to it.</summary>
public sealed class OneCFtpEndpointKind : IEndpointKind
{
    public const string Name = "onec-ftp";

    private static readonly ObjectSchema Schema = new ObjectSchema(
        [
            .. RemoteConnectionOptions.Schema,
            new PropertySchema(OneCFtpOptionKeys.Path, new StringSchema
            {
                Description = "The exchange folder under the URL's path. Inbound: where 1C unloads. Outbound: where files for 1C are written.",
                Default = "/",
            }),
            new PropertySchema(FolderOptionKeys.Pattern, new ArraySchema(new StringSchema())
            {
                AllowSingle = true,
                Description = "Inbound: which files to take (wildcards * and ?, case-insensitive as on 1C's Windows), one pattern or a list. Dot-files and *.tmp are never taken. import* files go before the others.",
            }),
            FileEndpointSchema.Format("xml"),
            FileEndpointSchema.Encoding,
            FileEndpointSchema.Poll("30s"),
            FileEndpointSchema.Complete,
            FileEndpointSchema.MarkerSuffix,
            FileEndpointSchema.Processed,
            new PropertySchema(FolderOptionKeys.ProcessedPath, new StringSchema
            {
                Description = "Inbound: the remote folder processed files go to, relative to path (default: processed). Names are never overwritten: a number is added instead.",
            }),
            new PropertySchema(FolderOptionKeys.FailedPath, new StringSchema
            {
                Description = "Inbound: the remote folder rejected files go to, each with a <name>.error.txt beside it, relative to path (default: failed).",
            }),
            FileEndpointSchema.MaxFileSize,
            FileEndpointSchema.Batch,
            new PropertySchema(FolderOptionKeys.FileName, new StringSchema
            {
                Pattern = @"^(?:[^{}\\]|\{(?:messageId|type|entityKey|idempotencyKey)\})+$",
                PatternDescription = "a file name, optionally in subfolders (orders/{messageId}.xml), with optional {messageId}, {type}, {entityKey}, {idempotencyKey}",
                Description = "Outbound: the file name under path, subfolders allowed. Placeholders are made safe for file names; the same message on the same leg always gets the same name.",
                Default = OneCFtpOutboundOptions.DefaultFileName,
            }),
            FileEndpointSchema.Body(BodyModes.Text),
            FileEndpointSchema.Indent,
        ])
    {
        Description = "1C's exchange folder on FTP, FTPS, SFTP or a mounted share.",
    };

    public string Kind => Name;

    public string Description => "1C's file exchange over FTP, FTPS, SFTP or a share: takes complete CommerceML files (import before offers), writes documents for 1C (temporary name, then rename).";

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => Schema;

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        new OneCFtpInboundEndpoint(definition.Id, OneCFtpInboundOptions.Read(definition.Options, services), services);

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new OneCFtpOutboundEndpoint(definition.Id, OneCFtpOutboundOptions.Read(definition.Options, services), services);
}
