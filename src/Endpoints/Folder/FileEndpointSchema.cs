using Router.Core.Config.Schema;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Folder;

/// <summary>
/// The options every file-based endpoint shares (the local folder, 1C's FTP/SFTP exchange folder): one wording, one
/// set of defaults, so a person who knows one knows the others.
/// </summary>
internal static class FileEndpointSchema
{
    public static PropertySchema Format(string defaultFormat) => new(FolderOptionKeys.Format, new StringSchema
    {
        Enum = FolderOptionValues.Formats,
        Description = "Inbound: json (the payload is the file's JSON), text or xml (payload { fileName, text }; xml must be well-formed, DTDs are refused, and its declared encoding wins), binary (payload { fileName, contentBase64 }).",
        Default = defaultFormat,
    });

    public static readonly PropertySchema Encoding = new(FolderOptionKeys.Encoding, new StringSchema
    {
        Enum = TextEncodings.Supported,
        Description = "Text encoding. Inbound: of the files (an XML declaration wins); invalid bytes reject the file, naming the byte offset. Outbound, body: text: used when the payload names none.",
        Default = TextEncodings.Utf8,
    });

    public static PropertySchema Poll(string defaultPoll) => new(FolderOptionKeys.Poll, new StringSchema
    {
        Format = StringFormat.Duration,
        Description = "Inbound: how often the folder is looked at.",
        Default = defaultPoll,
    });

    public static readonly PropertySchema Complete = new(FolderOptionKeys.Complete, new StringSchema
    {
        Enum = FolderOptionValues.CompletionModes,
        Description = "Inbound: when a file counts as completely written. stable: same size and time in two consecutive polls. marker: a marker file <name><markerSuffix> exists (removed after processing).",
        Default = "stable",
    });

    public static readonly PropertySchema MarkerSuffix = new(FolderOptionKeys.MarkerSuffix, new StringSchema
    {
        Description = "Inbound, complete: marker: the suffix of marker files.",
        Default = FolderInboundOptions.DefaultMarkerSuffix,
    });

    public static readonly PropertySchema Processed = new(FolderOptionKeys.Processed, new StringSchema
    {
        Enum = FolderOptionValues.ProcessedActions,
        Description = "Inbound: what happens to a file once the router holds it safely: move it to processedPath, or delete it.",
        Default = "move",
    });

    public static readonly PropertySchema MaxFileSize = new(FolderOptionKeys.MaxFileSize, new StringSchema
    {
        Format = StringFormat.Size,
        Description = "Inbound: larger files are rejected without being read into memory (default: router.limits.maxMessageSize).",
    });

    public static readonly PropertySchema Batch = new(FolderOptionKeys.Batch, new IntegerSchema
    {
        Minimum = 1,
        Maximum = 10_000,
        Description = "Inbound: files handed to the router in one durable commit.",
        Default = FolderInboundOptions.DefaultBatch,
    });

    public static PropertySchema Body(string defaultBody) => new(FolderOptionKeys.Body, new StringSchema
    {
        Enum = BodyModes.FileNames,
        Description = "Outbound: write the payload or the whole envelope as JSON, or text: the payload's 'text' encoded in the payload's 'encoding' (as the commerceml-order transformer produces), byte for byte.",
        Default = defaultBody,
    });

    public static readonly PropertySchema Indent = new(FolderOptionKeys.Indent, new BooleanSchema
    {
        Description = "Outbound: indent the JSON for people.",
        Default = false,
    });
}
