using System.Text;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Remote;
using Router.Endpoints.Shared;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>An <c>onec-ftp</c> endpoint's inbound options: the folder endpoint's, on a remote folder.</summary>
public sealed record OneCFtpInboundOptions
{
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(30);
    public const string DefaultPattern = "*.xml";

    public required RemoteConnection Connection { get; init; }

    /// <summary>The folder 1C unloads into, under the URL's path.</summary>
    public required string Path { get; init; }

    public IReadOnlyList<string> Patterns { get; init; } = [DefaultPattern];
    public InboundFileFormat Format { get; init; } = InboundFileFormat.Xml;
    public Encoding Encoding { get; init; } = TextEncodings.Strict(TextEncodings.Utf8);
    public TimeSpan Poll { get; init; } = DefaultPoll;
    public FileCompletionMode Completion { get; init; } = FileCompletionMode.Stable;
    public string MarkerSuffix { get; init; } = FolderInboundOptions.DefaultMarkerSuffix;
    public ProcessedFileAction Processed { get; init; } = ProcessedFileAction.Move;
    public required string ProcessedPath { get; init; }
    public required string FailedPath { get; init; }
    public required long MaxFileSize { get; init; }
    public int Batch { get; init; } = FolderInboundOptions.DefaultBatch;

    public static OneCFtpInboundOptions Read(ConfigMapping options, EndpointServices services)
    {
        var path = RemotePath.Normalize(options.GetString(OneCFtpOptionKeys.Path, "/"));
        var encodingName = options.GetString(FolderOptionKeys.Encoding, TextEncodings.Utf8);
        var markerSuffix = options.GetString(FolderOptionKeys.MarkerSuffix, FolderInboundOptions.DefaultMarkerSuffix);
        if (markerSuffix.Length == 0)
        {
            throw new ConfigException(options[FolderOptionKeys.MarkerSuffix]!.Mark, $"'{FolderOptionKeys.MarkerSuffix}' must not be empty");
        }
        var patterns = options.GetStringList(FolderOptionKeys.Pattern);
        return new OneCFtpInboundOptions
        {
            Connection = RemoteConnectionOptions.Read(options, services),
            Path = path,
            Patterns = patterns.Count == 0 ? [DefaultPattern] : patterns,
            Format = FolderOptionValues.ParseFormat(options.GetString(FolderOptionKeys.Format, "xml")),
            Encoding = TextEncodings.FindStrict(encodingName)
                ?? throw new ConfigException(options[FolderOptionKeys.Encoding]!.Mark, $"unknown encoding '{encodingName}'"),
            Poll = options.GetDuration(FolderOptionKeys.Poll, DefaultPoll),
            Completion = FolderOptionValues.ParseCompletion(options.GetString(FolderOptionKeys.Complete, "stable")),
            MarkerSuffix = markerSuffix,
            Processed = FolderOptionValues.ParseProcessed(options.GetString(FolderOptionKeys.Processed, "move")),
            ProcessedPath = RemotePath.Combine(path, options.GetString(FolderOptionKeys.ProcessedPath, "processed")),
            FailedPath = RemotePath.Combine(path, options.GetString(FolderOptionKeys.FailedPath, "failed")),
            MaxFileSize = options.GetSize(FolderOptionKeys.MaxFileSize, services.MaxMessageSize),
            Batch = options.GetInt(FolderOptionKeys.Batch, FolderInboundOptions.DefaultBatch),
        };
    }
}
