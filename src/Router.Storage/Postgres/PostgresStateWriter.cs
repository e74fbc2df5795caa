using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

/// <summary>The standalone commit: the changes in a transaction of their own, on a pooled connection.</summary>
internal sealed class PostgresStateWriter(NpgsqlDataSource dataSource, TimeProvider clock) : IStateWriter
{
    public async Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresStateChangesWriter.WriteAsync(connection, transaction, changes, clock, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
