using Router.Transport.Sqlite.Database;

namespace Router.Transport.Sqlite.Tests.Support;

/// <summary>A database file in its own temporary directory, deleted with it.</summary>
public sealed class TestDatabaseFile : IAsyncDisposable
{
    private readonly string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "router-sqlite-transport-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteDatabase> opened = [];
    private SqliteDatabase? database;

    public string Path => System.IO.Path.Combine(directory, "router.db");

    /// <summary>The database as this test's "process" sees it.</summary>
    public SqliteDatabase Database => database ??= Open();

    /// <summary>Another connection set to the same file, as a second process would have.</summary>
    public SqliteDatabase Open(bool synchronousFull = false)
    {
        var another = SqliteDatabase.Open(new SqliteDatabaseOptions { Path = Path, SynchronousFull = synchronousFull });
        opened.Add(another);
        return another;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var each in opened)
        {
            await each.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A late background release may still hold the file; the temp directory is cleaned by the OS later.
        }
    }
}
