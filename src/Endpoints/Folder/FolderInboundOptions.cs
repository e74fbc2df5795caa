using System.Text;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Folder;

/// <summary>A <c>folder</c> endpoint's inbound options, with defaults applied and paths resolved.</summary>
public sealed record FolderInboundOptions
{
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(5);
    public const string DefaultPattern = "*.json";
    public const string DefaultMarkerSuffix = ".done";
    public const int DefaultBatch = 100;

    public required string Path { get; init; }
    public string Pattern { get; init; } = DefaultPattern;
    public InboundFileFormat Format { get; init; } = InboundFileFormat.Json;
    public Encoding Encoding { get; init; } = TextEncodings.Strict(TextEncodings.Utf8);
    public TimeSpan Poll { get; init; } = DefaultPoll;
    public FileCompletionMode Completion { get; init; } = FileCompletionMode.Stable;
    public string MarkerSuffix { get; init; } = DefaultMarkerSuffix;
    public ProcessedFileAction Processed { get; init; } = ProcessedFileAction.Move;
    public required string ProcessedPath { get; init; }
    public required string FailedPath { get; init; }
    public required long MaxFileSize { get; init; }
    public int Batch { get; init; } = DefaultBatch;

    public static FolderInboundOptions Read(ConfigMapping options, EndpointServices services)
    {
        var path = services.ResolvePath(options.GetRequiredString(FolderOptionKeys.Path));
        var encodingName = options.GetString(FolderOptionKeys.Encoding, TextEncodings.Utf8);
        var batch = options.GetInt(FolderOptionKeys.Batch, DefaultBatch);
        if (batch < 1)
        {
            throw new ConfigException(options[FolderOptionKeys.Batch]!.Mark, $"'{FolderOptionKeys.Batch}' must be at least 1");
        }
        var markerSuffix = options.GetString(FolderOptionKeys.MarkerSuffix, DefaultMarkerSuffix);
        if (markerSuffix.Length == 0)
        {
            throw new ConfigException(options[FolderOptionKeys.MarkerSuffix]!.Mark, $"'{FolderOptionKeys.MarkerSuffix}' must not be empty");
        }
        return new FolderInboundOptions
        {
            Path = path,
            Pattern = options.GetString(FolderOptionKeys.Pattern, DefaultPattern),
            Format = FolderOptionValues.ParseFormat(options.GetString(FolderOptionKeys.Format, "json")),
            Encoding = TextEncodings.FindStrict(encodingName)
                ?? throw new ConfigException(options[FolderOptionKeys.Encoding]!.Mark, $"unknown encoding '{encodingName}'"),
            Poll = options.GetDuration(FolderOptionKeys.Poll, DefaultPoll),
            Completion = FolderOptionValues.ParseCompletion(options.GetString(FolderOptionKeys.Complete, "stable")),
            MarkerSuffix = markerSuffix,
            Processed = FolderOptionValues.ParseProcessed(options.GetString(FolderOptionKeys.Processed, "move")),
            ProcessedPath = ResolveBeside(options, FolderOptionKeys.ProcessedPath, path, "processed", services),
            FailedPath = ResolveBeside(options, FolderOptionKeys.FailedPath, path, "failed", services),
            MaxFileSize = options.GetSize(FolderOptionKeys.MaxFileSize, services.MaxMessageSize),
            Batch = batch,
        };
    }

    private static string ResolveBeside(ConfigMapping options, string key, string folder, string defaultName, EndpointServices services) =>
        options.GetString(key) is { } configured
            ? services.ResolvePath(configured)
            : services.FileSystem.Path.Combine(folder, defaultName);
}
