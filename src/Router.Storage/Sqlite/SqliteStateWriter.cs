using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

/// <summary>The standalone commit: the changes ride the database's next group commit in a savepoint of their own.</summary>
internal sealed class SqliteStateWriter(SqliteDatabase database, TimeProvider clock) : IStateWriter
{
    public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return Task.CompletedTask;
        }
        return database.ExecuteWriteAsync(
            (connection, transaction, ct) => SqliteStateChangesWriter.WriteAsync(connection, transaction, changes, clock, ct),
            durable: false, cancellationToken);
    }
}
