using System.IO.Abstractions;

namespace Router.Endpoints.Folder;

/// <summary>Moves handled files aside (processed/, failed/) without ever overwriting an earlier file of the same name.</summary>
public sealed class FileParking
{
    public const string ErrorNoteSuffix = InboundErrorNote.Suffix;

    private readonly IFileSystem fileSystem;

    public FileParking(IFileSystem fileSystem)
    {
        this.fileSystem = fileSystem;
    }

    /// <summary>Moves the file into <paramref name="directory"/>; <c>orders.json</c> becomes <c>orders.2.json</c> if taken, and so on.</summary>
    public string MoveInto(string source, string directory)
    {
        fileSystem.Directory.CreateDirectory(directory);
        var name = fileSystem.Path.GetFileName(source);
        for (var attempt = 1; ; attempt++)
        {
            var target = fileSystem.Path.Combine(directory, InboundErrorNote.Numbered(name, attempt));
            if (fileSystem.File.Exists(target) || fileSystem.File.Exists(target + ErrorNoteSuffix))
            {
                continue;
            }
            try
            {
                fileSystem.File.Move(source, target, overwrite: false);
                return target;
            }
            catch (IOException) when (fileSystem.File.Exists(target) && fileSystem.File.Exists(source))
            {
                // Someone took the name between the check and the move: try the next one.
            }
        }
    }

    public void Delete(string path) => fileSystem.File.Delete(path);

    /// <summary>Writes <c>&lt;parked name&gt;.error.txt</c> beside a file moved to failed/.</summary>
    public string WriteErrorNote(string parkedPath, string note)
    {
        var notePath = parkedPath + ErrorNoteSuffix;
        fileSystem.File.WriteAllText(notePath, note, InboundErrorNote.Encoding);
        return notePath;
    }
}
