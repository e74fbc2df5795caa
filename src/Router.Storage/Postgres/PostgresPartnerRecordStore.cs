using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresPartnerRecordStore(NpgsqlDataSource dataSource) : IPartnerRecordStore
{
    private const string Columns = "endpoint, key, status, data_json, updated_at, due_at";
    private const string Insert = $"INSERT INTO state_partner_records ({Columns}) VALUES (@endpoint, @key, @status, @data_json, @updated_at, @due_at)";

    public async Task<PartnerRecord?> GetAsync(string endpoint, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SelectAsync(connection, endpoint, key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PartnerRecord?> TryInsertAsync(PartnerRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Bind(PostgresCommands.Create(connection, null, Insert + " ON CONFLICT DO NOTHING"), record);
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return null;
        }
        return await SelectAsync(connection, record.Endpoint, record.Key, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpsertAsync(PartnerRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = Bind(PostgresCommands.Create(connection, null, Insert + """
             ON CONFLICT (endpoint, key) DO UPDATE SET status = excluded.status, data_json = excluded.data_json,
                updated_at = excluded.updated_at, due_at = excluded.due_at
            """), record);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PartnerRecord>> ListDueAsync(string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                $"SELECT {Columns} FROM state_partner_records WHERE endpoint = @endpoint AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit")
            .With("endpoint", endpoint)
            .With("now", now)
            .With("limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var due = new List<PartnerRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            due.Add(Read(reader));
        }
        return due;
    }

    private static async Task<PartnerRecord?> SelectAsync(NpgsqlConnection connection, string endpoint, string key, CancellationToken cancellationToken)
    {
        await using var select = PostgresCommands.Create(connection, null, $"SELECT {Columns} FROM state_partner_records WHERE endpoint = @endpoint AND key = @key")
            .With("endpoint", endpoint)
            .With("key", key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, PartnerRecord record) =>
        command.With("endpoint", record.Endpoint)
            .With("key", record.Key)
            .With("status", record.Status)
            .With("data_json", record.DataJson)
            .With("updated_at", record.UpdatedAt)
            .With("due_at", record.DueAt);

    private static PartnerRecord Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetTime(4),
            reader.IsDBNull(5) ? null : reader.GetTime(5));
}
