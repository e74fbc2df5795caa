namespace Router.Endpoints.Folder;

/// <summary>How a file's bytes become a payload.</summary>
public enum InboundFileFormat
{
    /// <summary>The payload is the file's JSON.</summary>
    Json,

    /// <summary><c>{ "fileName", "text" }</c>.</summary>
    Text,

    /// <summary><c>{ "fileName", "text" }</c>, checked to be well-formed; an encoding declared in the XML prolog wins.</summary>
    Xml,

    /// <summary><c>{ "fileName", "contentBase64" }</c>.</summary>
    Binary,
}

/// <summary>When a file in the folder counts as completely written.</summary>
public enum FileCompletionMode
{
    /// <summary>Size and modification time unchanged across two looks.</summary>
    Stable,

    /// <summary>A marker file <c>&lt;name&gt;&lt;markerSuffix&gt;</c> exists.</summary>
    Marker,
}

/// <summary>What happens to a file once the router holds it safely.</summary>
public enum ProcessedFileAction
{
    Move,
    Delete,
}

internal static class FolderOptionValues
{
    public static readonly IReadOnlyList<string> Formats = ["json", "text", "xml", "binary"];
    public static readonly IReadOnlyList<string> CompletionModes = ["stable", "marker"];
    public static readonly IReadOnlyList<string> ProcessedActions = ["move", "delete"];

    public static InboundFileFormat ParseFormat(string text) => text switch
    {
        "json" => InboundFileFormat.Json,
        "text" => InboundFileFormat.Text,
        "xml" => InboundFileFormat.Xml,
        "binary" => InboundFileFormat.Binary,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "unknown format"),
    };

    public static FileCompletionMode ParseCompletion(string text) => text switch
    {
        "stable" => FileCompletionMode.Stable,
        "marker" => FileCompletionMode.Marker,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "unknown completion mode"),
    };

    public static ProcessedFileAction ParseProcessed(string text) => text switch
    {
        "move" => ProcessedFileAction.Move,
        "delete" => ProcessedFileAction.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "unknown processed action"),
    };
}
