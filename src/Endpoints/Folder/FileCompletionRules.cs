namespace Router.Endpoints.Folder;

/// <summary>
/// Decides which listed files are completely written and may be taken. Shared by the local folder and the remote
/// (FTP, SFTP) pollers, so the rule never touches storage itself: the caller says which markers exist and removes them.
/// </summary>
internal interface IFileCompletionRule
{
    /// <summary>True when looking again after a pause could complete files that are not complete now.</summary>
    bool NeedsAnotherLook(IReadOnlyList<FileObservation> files);

    /// <summary>Records this look and returns the files that are complete; <paramref name="exists"/> answers for marker paths.</summary>
    IReadOnlyList<FileObservation> SelectComplete(IReadOnlyList<FileObservation> files, Func<string, bool> exists);

    /// <summary>The file has left the folder: forget it. Returns the marker the caller must remove, if the rule uses one.</summary>
    string? Release(FileObservation file);

    internal static IFileCompletionRule For(FileCompletionMode mode, string markerSuffix) => mode switch
    {
        FileCompletionMode.Marker => new MarkerFileRule(markerSuffix),
        _ => new StableFileRule(),
    };
}

/// <summary>
/// Complete once size and modification time are the same in two consecutive looks. The memory lives on the
/// endpoint instance, so two polls of the host make the two looks.
/// </summary>
internal sealed class StableFileRule : IFileCompletionRule
{
    private Dictionary<string, FileObservation> lastLook = new(StringComparer.Ordinal);

    public bool NeedsAnotherLook(IReadOnlyList<FileObservation> files) => files.Any(f => !IsUnchanged(f));

    public IReadOnlyList<FileObservation> SelectComplete(IReadOnlyList<FileObservation> files, Func<string, bool> exists)
    {
        var complete = files.Where(IsUnchanged).ToList();
        // Replacing the map forgets files that disappeared, so it never grows beyond the folder's content.
        lastLook = files.ToDictionary(f => f.FullPath, StringComparer.Ordinal);
        return complete;
    }

    // A new file of the same name, size and time (cp -p) must be looked at twice again.
    public string? Release(FileObservation file)
    {
        lastLook.Remove(file.FullPath);
        return null;
    }

    private bool IsUnchanged(FileObservation file) =>
        lastLook.TryGetValue(file.FullPath, out var previous)
        && previous.Length == file.Length
        && previous.LastWriteUtc == file.LastWriteUtc;
}

/// <summary>Complete once the producer has written <c>&lt;name&gt;&lt;suffix&gt;</c> beside the file.</summary>
internal sealed class MarkerFileRule : IFileCompletionRule
{
    private readonly string suffix;

    public MarkerFileRule(string suffix)
    {
        this.suffix = suffix;
    }

    public bool NeedsAnotherLook(IReadOnlyList<FileObservation> files) => false;

    public IReadOnlyList<FileObservation> SelectComplete(IReadOnlyList<FileObservation> files, Func<string, bool> exists) =>
        files.Where(f => exists(f.FullPath + suffix)).ToList();

    public string? Release(FileObservation file) => file.FullPath + suffix;
}
