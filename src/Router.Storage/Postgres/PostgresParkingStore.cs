using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresParkingStore(NpgsqlDataSource dataSource) : IParkingStore
{
    public async Task<IReadOnlyList<ParkedMessage>> ListAsync(string route, string entityKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                "SELECT id, message_id, parked_at, envelope_json FROM state_parked " +
                "WHERE route = @route AND entity_key = @entity_key ORDER BY parked_at, id")
            .With("route", route)
            .With("entity_key", entityKey);
        var parked = new List<ParkedMessage>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            parked.Add(new ParkedMessage
            {
                Id = reader.GetInt64(0),
                Route = route,
                EntityKey = entityKey,
                MessageId = reader.GetString(1),
                ParkedAt = reader.GetTime(2),
                EnvelopeJson = reader.GetString(3),
            });
        }
        return parked;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var count = PostgresCommands.Create(connection, null, "SELECT count(*) FROM state_parked");
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
