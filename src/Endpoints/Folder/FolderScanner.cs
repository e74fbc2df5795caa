using System.IO.Abstractions;

namespace Router.Endpoints.Folder;

/// <summary>Lists the candidate files of an inbound folder, oldest first so files are taken in the order they were written.</summary>
internal sealed class FolderScanner
{
    private readonly IFileSystem fileSystem;
    private readonly FolderInboundOptions options;

    public FolderScanner(IFileSystem fileSystem, FolderInboundOptions options)
    {
        this.fileSystem = fileSystem;
        this.options = options;
    }

    public IReadOnlyList<FileObservation> Scan()
    {
        // Creating the folder lets a first run start before anything was dropped (the quickstart relies on it).
        fileSystem.Directory.CreateDirectory(options.Path);
        var files = new List<FileObservation>();
        foreach (var path in fileSystem.Directory.EnumerateFiles(options.Path, options.Pattern, SearchOption.TopDirectoryOnly))
        {
            var name = fileSystem.Path.GetFileName(path);
            if (IsIgnored(name))
            {
                continue;
            }
            var info = fileSystem.FileInfo.New(path);
            info.Refresh();
            if (!info.Exists)
            {
                continue;
            }
            files.Add(new FileObservation(path, name, info.Length, info.LastWriteTimeUtc));
        }
        files.Sort((a, b) =>
        {
            var byTime = a.LastWriteUtc.CompareTo(b.LastWriteUtc);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Name, b.Name);
        });
        return files;
    }

    private bool IsIgnored(string name) =>
        // Dot-files are hidden or still being written under a temporary name (as our own outbound endpoint does).
        name.StartsWith('.')
        || (options.Completion == FileCompletionMode.Marker && name.EndsWith(options.MarkerSuffix, StringComparison.Ordinal));
}
