using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresEntityVersionStore(NpgsqlDataSource dataSource) : IEntityVersionStore
{
    public async Task<long?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                "SELECT version FROM state_entity_versions WHERE scope = @scope AND entity_key = @entity_key")
            .With("scope", scope)
            .With("entity_key", entityKey);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }
}
