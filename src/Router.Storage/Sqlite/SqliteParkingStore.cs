using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteParkingStore(SqliteDatabase database) : IParkingStore
{
    public Task<IReadOnlyList<ParkedMessage>> ListAsync(string route, string entityKey, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ParkedMessage>>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    "SELECT id, message_id, parked_at, envelope_json FROM state_parked " +
                    "WHERE route = $route AND entity_key = $entity_key ORDER BY parked_at, id")
                .With("$route", route)
                .With("$entity_key", entityKey);
            var parked = new List<ParkedMessage>();
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                parked.Add(new ParkedMessage
                {
                    Id = reader.GetInt64(0),
                    Route = route,
                    EntityKey = entityKey,
                    MessageId = reader.GetString(1),
                    ParkedAt = SqliteTime.FromText(reader.GetString(2)),
                    EnvelopeJson = reader.GetString(3),
                });
            }
            return parked;
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var count = SqliteCommands.Create(connection, null, "SELECT count(*) FROM state_parked");
            return Convert.ToInt32(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
}
