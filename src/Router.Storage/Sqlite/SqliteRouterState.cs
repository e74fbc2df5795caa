using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

/// <summary>
/// The router's state in the same SQLite file as the transport's queues, so the transport can commit a handled
/// message and its <see cref="StateChanges"/> in one transaction (see <see cref="SqliteStateChangesWriter"/>).
/// </summary>
public sealed class SqliteRouterState : IRouterState
{
    private readonly bool ownsDatabase;
    private int disposed;

    /// <summary>Uses a database the caller shares with the transport and disposes itself.</summary>
    public SqliteRouterState(SqliteDatabase database, TimeProvider? clock = null)
        : this(database, clock ?? TimeProvider.System, ownsDatabase: false)
    {
    }

    private SqliteRouterState(SqliteDatabase database, TimeProvider clock, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        this.ownsDatabase = ownsDatabase;
        Inbox = new SqliteInboxStore(database);
        Journal = new SqliteJournalStore(database);
        DeadLetters = new SqliteDeadLetterStore(database, clock);
        EntityVersions = new SqliteEntityVersionStore(database);
        EntitySnapshots = new SqliteEntitySnapshotStore(database);
        PartnerRecords = new SqlitePartnerRecordStore(database);
        Parking = new SqliteParkingStore(database);
        Writer = new SqliteStateWriter(database, clock);
    }

    /// <summary>Opens (creating if needed) a database of its own, disposed with this state: for the CLI and tools.</summary>
    public static SqliteRouterState Open(string path, bool synchronousFull = false, TimeProvider? clock = null) =>
        new(SqliteDatabase.Open(new SqliteDatabaseOptions { Path = path, SynchronousFull = synchronousFull }),
            clock ?? TimeProvider.System, ownsDatabase: true);

    public SqliteDatabase Database { get; }

    public IInboxStore Inbox { get; }

    public IJournalStore Journal { get; }

    public IDeadLetterStore DeadLetters { get; }

    public IEntityVersionStore EntityVersions { get; }

    public IEntitySnapshotStore EntitySnapshots { get; }

    public IPartnerRecordStore PartnerRecords { get; }

    public IParkingStore Parking { get; }

    public IStateWriter Writer { get; }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        Database.MigrateAsync(SqliteStateSchema.Component, SqliteStateSchema.Migrations, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0 && ownsDatabase)
        {
            await Database.DisposeAsync().ConfigureAwait(false);
        }
    }
}
