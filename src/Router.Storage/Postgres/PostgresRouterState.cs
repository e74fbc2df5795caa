using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

/// <summary>
/// The router's state in a PostgreSQL database, shared by every host of a scaled-out router. With the PostgreSQL
/// transport on the same database, a handled message's state changes commit in the transport's own transaction
/// (see <see cref="PostgresStateChangesWriter"/>); with any other transport they commit in a transaction of their own
/// just before the transport commits, and the inbox makes the redelivery after a crash in between harmless.
/// </summary>
public sealed class PostgresRouterState : IRouterState
{
    private int disposed;

    private PostgresRouterState(NpgsqlDataSource dataSource, string connectionString, TimeProvider clock)
    {
        DataSource = dataSource;
        ConnectionString = connectionString;
        Inbox = new PostgresInboxStore(dataSource);
        Journal = new PostgresJournalStore(dataSource);
        DeadLetters = new PostgresDeadLetterStore(dataSource, clock);
        EntityVersions = new PostgresEntityVersionStore(dataSource);
        EntitySnapshots = new PostgresEntitySnapshotStore(dataSource);
        PartnerRecords = new PostgresPartnerRecordStore(dataSource);
        Parking = new PostgresParkingStore(dataSource);
        Writer = new PostgresStateWriter(dataSource, clock);
        Clock = clock;
    }

    /// <summary>A state with a connection pool of its own, disposed with it. Nothing is opened until first used.</summary>
    public static PostgresRouterState Open(string connectionString, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new PostgresRouterState(NpgsqlDataSource.Create(connectionString), connectionString, clock ?? TimeProvider.System);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Holds the password: never log it; see <see cref="PostgresConnectionStrings.Describe"/>.</summary>
    public string ConnectionString { get; }

    public TimeProvider Clock { get; }

    public IInboxStore Inbox { get; }

    public IJournalStore Journal { get; }

    public IDeadLetterStore DeadLetters { get; }

    public IEntityVersionStore EntityVersions { get; }

    public IEntitySnapshotStore EntitySnapshots { get; }

    public IPartnerRecordStore PartnerRecords { get; }

    public IParkingStore Parking { get; }

    public IStateWriter Writer { get; }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        PostgresMigrator.MigrateAsync(DataSource, PostgresStateSchema.Component, PostgresStateSchema.Migrations, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
