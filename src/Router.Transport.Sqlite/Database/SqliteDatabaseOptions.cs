namespace Router.Transport.Sqlite.Database;

public sealed record SqliteDatabaseOptions
{
    /// <summary>The database file. Its directory is created if missing.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// When true every commit is fsynced (synchronous=FULL). When false only commits asked to be durable are
    /// (synchronous=NORMAL otherwise: in WAL mode a power loss may roll back the last commits, never corrupt).
    /// </summary>
    public bool SynchronousFull { get; init; }

    /// <summary>How long a writer from another process may keep us waiting before a command fails as busy.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most write requests folded into one transaction (one fsync) by the group-commit writer.</summary>
    public int MaxWritesPerCommit { get; init; } = 256;
}
