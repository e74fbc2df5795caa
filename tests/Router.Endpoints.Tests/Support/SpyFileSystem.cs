using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;

namespace Router.Endpoints.Tests.Support;

/// <summary>A mock file system that records each rename (and can make it fail), to see how a file came to be.</summary>
internal sealed class SpyFileSystem : FileSystemBase
{
    private readonly MockFileSystem inner;
    private readonly SpyFile file;

    public SpyFileSystem(MockFileSystem inner)
    {
        this.inner = inner;
        file = new SpyFile(inner);
    }

    public MockFileSystem Inner => inner;

    public List<RecordedMove> Moves => file.Moves;

    public Exception? MoveFailure
    {
        get => file.MoveFailure;
        set => file.MoveFailure = value;
    }

    public override IDirectory Directory => inner.Directory;
    public override IFile File => file;
    public override IFileInfoFactory FileInfo => inner.FileInfo;
    public override IFileStreamFactory FileStream => inner.FileStream;
    public override IPath Path => inner.Path;
    public override IDirectoryInfoFactory DirectoryInfo => inner.DirectoryInfo;
    public override IDriveInfoFactory DriveInfo => inner.DriveInfo;
    public override IFileSystemWatcherFactory FileSystemWatcher => inner.FileSystemWatcher;
    public override IFileVersionInfoFactory FileVersionInfo => inner.FileVersionInfo;
    public override IRandomAccess RandomAccess => inner.RandomAccess;

    private sealed class SpyFile : MockFile
    {
        private readonly MockFileSystem fileSystem;

        public SpyFile(MockFileSystem fileSystem)
            : base(fileSystem)
        {
            this.fileSystem = fileSystem;
        }

        public List<RecordedMove> Moves { get; } = [];

        public Exception? MoveFailure { get; set; }

        public override void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            Moves.Add(new RecordedMove(sourceFileName, destFileName, fileSystem.File.ReadAllBytes(sourceFileName), fileSystem.File.Exists(destFileName)));
            if (MoveFailure is not null)
            {
                throw MoveFailure;
            }
            base.Move(sourceFileName, destFileName, overwrite);
        }
    }
}

internal sealed record RecordedMove(string Source, string Destination, byte[] SourceContent, bool DestinationExisted);
