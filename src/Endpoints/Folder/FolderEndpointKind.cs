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
        new PropertySchema(FolderOptionKeys.Format, new StringSchema
        {
            Enum = FolderOptionValues.Formats,
            Description = "Inbound: json (the payload is the file's JSON), text or xml (payload { fileName, text }; xml must be well-formed and its declared encoding wins), binary (payload { fileName, contentBase64 }).",
            Default = "json",
        }),
        new PropertySchema(FolderOptionKeys.Encoding, new StringSchema
        {
            Enum = TextEncodings.Supported,
            Description = "Inbound: text encoding of the files. Invalid bytes reject the file, naming the byte offset.",
            Default = TextEncodings.Utf8,
        }),
        new PropertySchema(FolderOptionKeys.Poll, new StringSchema
        {
            Format = StringFormat.Duration,
            Description = "Inbound: how often the folder is looked at.",
            Default = "5s",
        }),
        new PropertySchema(FolderOptionKeys.Complete, new StringSchema
        {
            Enum = FolderOptionValues.CompletionModes,
            Description = "Inbound: when a file counts as completely written. stable: same size and time in two consecutive polls. marker: a marker file <name><markerSuffix> exists (removed after processing).",
            Default = "stable",
        }),
        new PropertySchema(FolderOptionKeys.MarkerSuffix, new StringSchema
        {
            Description = "Inbound, complete: marker: the suffix of marker files.",
            Default = FolderInboundOptions.DefaultMarkerSuffix,
        }),
        new PropertySchema(FolderOptionKeys.Processed, new StringSchema
        {
            Enum = FolderOptionValues.ProcessedActions,
            Description = "Inbound: what happens to a file once the router holds it safely: move it to processedPath, or delete it.",
            Default = "move",
        }),
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
        new PropertySchema(FolderOptionKeys.MaxFileSize, new StringSchema
        {
            Format = StringFormat.Size,
            Description = "Inbound: larger files are rejected without being read (default: router.limits.maxMessageSize).",
        }),
        new PropertySchema(FolderOptionKeys.Batch, new IntegerSchema
        {
            Minimum = 1,
            Maximum = 10_000,
            Description = "Inbound: files handed to the router in one durable commit.",
            Default = FolderInboundOptions.DefaultBatch,
        }),
        new PropertySchema(FolderOptionKeys.FileName, new StringSchema
        {
            Pattern = @"^(?:[^{}/\\]|\{(?:messageId|type|entityKey|idempotencyKey)\})+$",
            PatternDescription = "a file name (no folders) with optional {messageId}, {type}, {entityKey}, {idempotencyKey}",
            Description = "Outbound: the file name. Placeholders are made safe for file names (':', '|', '/' become '_'); the same message on the same leg always gets the same name.",
            Default = FolderOutboundOptions.DefaultFileName,
        }),
        new PropertySchema(FolderOptionKeys.Body, new StringSchema
        {
            Enum = BodyModes.Names,
            Description = "Outbound: write the payload, or the whole envelope.",
            Default = BodyModes.Payload,
        }),
        new PropertySchema(FolderOptionKeys.Indent, new BooleanSchema
        {
            Description = "Outbound: indent the JSON for people.",
            Default = false,
        }))
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
