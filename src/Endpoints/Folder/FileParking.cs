using System.IO.Abstractions;

namespace Router.Endpoints.Folder;

/// <summary>Moves handled files aside (processed/, failed/) without ever overwriting an earlier file of the same name.</summary>
public sealed class FileParking
{
    public const string ErrorNoteSuffix = ".error.txt";

    private static readonly System.Text.Encoding NoteEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

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
            var target = fileSystem.Path.Combine(directory, Numbered(name, attempt));
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
        fileSystem.File.WriteAllText(notePath, note, NoteEncoding);
        return notePath;
    }

    /// <summary>The note's text: what was refused, from where, and why, for the person who finds the file.</summary>
    public static string ErrorNote(string endpointId, string fileName, string? messageId, string code, DateTimeOffset at, string error)
    {
        var note = new System.Text.StringBuilder();
        note.Append("endpoint: ").AppendLine(endpointId);
        note.Append("file: ").AppendLine(fileName);
        note.Append("message id: ").AppendLine(messageId ?? "-");
        note.Append("code: ").AppendLine(code);
        note.Append("at: ").AppendLine(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        note.Append("error: ").AppendLine(error);
        return note.ToString();
    }

    private static string Numbered(string name, int attempt)
    {
        if (attempt == 1)
        {
            return name;
        }
        var dot = name.LastIndexOf('.');
        return dot > 0 ? $"{name[..dot]}.{attempt}{name[dot..]}" : $"{name}.{attempt}";
    }
}
