using Npgsql;
using Rebus.PostgreSql;

namespace Router.Transport.PostgreSql;

/// <summary>
/// What Rebus.PostgreSql's transport gets its connections from. Inside a receive or send of
/// <see cref="RouterPostgreSqlTransport"/> it lends that context's <see cref="SharedTransaction"/>, marked as managed
/// externally so the inner transport neither commits nor closes it; elsewhere (creating its table, deleting expired
/// messages) it opens a connection and transaction of the inner transport's own.
/// </summary>
internal sealed class SharedTransactionConnectionProvider(NpgsqlDataSource dataSource) : IPostgresConnectionProvider
{
    public async Task<PostgresConnection> GetConnection()
    {
        if (SharedTransaction.Lent is { } shared)
        {
            return new PostgresConnection(shared.Connection, shared.Transaction, managedExternally: true);
        }
        var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        return new PostgresConnection(connection, transaction);
    }
}
