using Microsoft.Data.Sqlite;

namespace Router.Storage.Tests.Sqlite;

/// <summary>A database path in a directory of its own (the file brings -wal and -shm siblings), removed with everything in it.</summary>
internal sealed class TemporaryDatabaseFile
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("router-state-");

    public string Path => System.IO.Path.Combine(directory.FullName, "router.db");

    public void Delete()
    {
        // Pooled read connections keep the file open; release them before removing it.
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
