using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteEntityVersionStore(SqliteDatabase database) : IEntityVersionStore
{
    public Task<long?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    "SELECT version FROM state_entity_versions WHERE scope = $scope AND entity_key = $entity_key")
                .With("$scope", scope)
                .With("$entity_key", entityKey);
            return await select.ExecuteScalarAsync(ct).ConfigureAwait(false) is long version ? version : (long?)null;
        }, cancellationToken);
}
