namespace Router.Endpoints.Folder;

/// <summary>The YAML keys of a <c>folder</c> endpoint, shared by its schema and its option readers.</summary>
public static class FolderOptionKeys
{
    public const string Path = "path";
    public const string Pattern = "pattern";
    public const string Format = "format";
    public const string Encoding = "encoding";
    public const string Poll = "poll";
    public const string Complete = "complete";
    public const string MarkerSuffix = "markerSuffix";
    public const string Processed = "processed";
    public const string ProcessedPath = "processedPath";
    public const string FailedPath = "failedPath";
    public const string MaxFileSize = "maxFileSize";
    public const string Batch = "batch";
    public const string FileName = "fileName";
    public const string Body = "body";
    public const string Indent = "indent";
}
