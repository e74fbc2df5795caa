using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteEntitySnapshotStore(SqliteDatabase database) : IEntitySnapshotStore
{
    public Task<EntitySnapshot?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken) =>
        database.ReadAsync<EntitySnapshot?>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    "SELECT revision, document_json, updated_at FROM state_entity_snapshots WHERE scope = $scope AND entity_key = $entity_key")
                .With("$scope", scope)
                .With("$entity_key", entityKey);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false)
                ? new EntitySnapshot(scope, entityKey, reader.GetInt64(0), reader.GetString(1), SqliteTime.FromText(reader.GetString(2)))
                : null;
        }, cancellationToken);
}
