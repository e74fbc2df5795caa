using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Folder;

/// <summary>A local (or mounted) folder: inbound takes files dropped there, outbound writes one file per message.</summary>
public sealed class FolderEndpointKind : IEndpointKind
{
    public const string Name = "folder";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(FolderOptionKeys.Path, new StringSchema
        {
            Format = StringFormat.Path,
            Description = "The folder, relative to the config file. Inbound: where files are dropped. Outbound: where files are written.",
        }) { Required = true },
        new PropertySchema(FolderOptionKeys.Pattern, new StringSchema
        {
            Description = "Inbound: which files to take (wildcards * and ?). Files whose names start with a dot are never taken.",
            Default = FolderInboundOptions.DefaultPattern,
        }),
        FileEndpointSchema.Format("json"),
        FileEndpointSchema.Encoding,
        FileEndpointSchema.Poll("5s"),
        FileEndpointSchema.Complete,
        FileEndpointSchema.MarkerSuffix,
        FileEndpointSchema.Processed,
        new PropertySchema(FolderOptionKeys.ProcessedPath, new StringSchema
        {
            Format = StringFormat.Path,
            Description = "Inbound: where processed files go (default: <path>/processed). Names are never overwritten: a number is added instead.",
        }),
        new PropertySchema(FolderOptionKeys.FailedPath, new StringSchema
        {
            Format = StringFormat.Path,
            Description = "Inbound: where rejected files go, each with a <name>.error.txt beside it (default: <path>/failed).",
        }),
        FileEndpointSchema.MaxFileSize,
        FileEndpointSchema.Batch,
        new PropertySchema(FolderOptionKeys.FileName, new StringSchema
        {
            Pattern = @"^(?:[^{}/\\]|\{(?:messageId|type|entityKey|idempotencyKey)\})+$",
            PatternDescription = "a file name (no folders) with optional {messageId}, {type}, {entityKey}, {idempotencyKey}",
            Description = "Outbound: the file name. Placeholders are made safe for file names (':', '|', '/' become '_'); the same message on the same leg always gets the same name.",
            Default = FolderOutboundOptions.DefaultFileName,
        }),
        FileEndpointSchema.Body(BodyModes.Payload),
        FileEndpointSchema.Indent)
    {
        Description = "A folder on this machine or a mounted share.",
    };

    public string Kind => Name;

    public string Description => "A folder: takes the files dropped into it, or writes one file per message (atomically, with deterministic names).";

    public EndpointDirections Directions => EndpointDirections.Both;

    public ObjectSchema OptionsSchema => Schema;

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        new FolderInboundEndpoint(definition.Id, FolderInboundOptions.Read(definition.Options, services), services);

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new FolderOutboundEndpoint(definition.Id, FolderOutboundOptions.Read(definition.Options, services), services);
}
