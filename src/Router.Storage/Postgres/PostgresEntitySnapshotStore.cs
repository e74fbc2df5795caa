using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresEntitySnapshotStore(NpgsqlDataSource dataSource) : IEntitySnapshotStore
{
    public async Task<EntitySnapshot?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                "SELECT revision, document_json, updated_at FROM state_entity_snapshots WHERE scope = @scope AND entity_key = @entity_key")
            .With("scope", scope)
            .With("entity_key", entityKey);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new EntitySnapshot(scope, entityKey, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }
}
