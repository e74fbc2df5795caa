using Microsoft.Data.Sqlite;
using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqlitePartnerRecordStore(SqliteDatabase database) : IPartnerRecordStore
{
    private const string Columns = "endpoint, key, status, data_json, updated_at, due_at";

    public Task<PartnerRecord?> GetAsync(string endpoint, string key, CancellationToken cancellationToken) =>
        database.ReadAsync<PartnerRecord?>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null, $"SELECT {Columns} FROM state_partner_records WHERE endpoint = $endpoint AND key = $key")
                .With("$endpoint", endpoint)
                .With("$key", key);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
        }, cancellationToken);

    public Task<PartnerRecord?> TryInsertAsync(PartnerRecord record, CancellationToken cancellationToken) =>
        // Durable: a claim guards a side effect that follows at once; it must outlive a power cut that follows too.
        database.ExecuteWriteAsync<PartnerRecord?>(async (connection, transaction, ct) =>
        {
            await using var insert = Bind(SqliteCommands.Create(connection, transaction,
                $"INSERT INTO state_partner_records ({Columns}) VALUES ($endpoint, $key, $status, $data_json, $updated_at, $due_at) ON CONFLICT DO NOTHING"), record);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
            {
                return null;
            }
            await using var select = SqliteCommands.Create(connection, transaction, $"SELECT {Columns} FROM state_partner_records WHERE endpoint = $endpoint AND key = $key")
                .With("$endpoint", record.Endpoint)
                .With("$key", record.Key);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return Read(reader);
        }, durable: true, cancellationToken);

    public Task UpsertAsync(PartnerRecord record, CancellationToken cancellationToken) =>
        database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await using var upsert = Bind(SqliteCommands.Create(connection, transaction,
                $"""
                INSERT INTO state_partner_records ({Columns}) VALUES ($endpoint, $key, $status, $data_json, $updated_at, $due_at)
                ON CONFLICT (endpoint, key) DO UPDATE SET status = excluded.status, data_json = excluded.data_json,
                    updated_at = excluded.updated_at, due_at = excluded.due_at
                """), record);
            await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, durable: true, cancellationToken);

    public Task<IReadOnlyList<PartnerRecord>> ListDueAsync(string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PartnerRecord>>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    $"SELECT {Columns} FROM state_partner_records WHERE endpoint = $endpoint AND due_at IS NOT NULL AND due_at <= $now ORDER BY due_at LIMIT $limit")
                .With("$endpoint", endpoint)
                .With("$now", SqliteTime.ToText(now))
                .With("$limit", limit);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var due = new List<PartnerRecord>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                due.Add(Read(reader));
            }
            return due;
        }, cancellationToken);

    private static SqliteCommand Bind(SqliteCommand command, PartnerRecord record) =>
        command.With("$endpoint", record.Endpoint)
            .With("$key", record.Key)
            .With("$status", record.Status)
            .With("$data_json", record.DataJson)
            .With("$updated_at", SqliteTime.ToText(record.UpdatedAt))
            .With("$due_at", record.DueAt is { } due ? SqliteTime.ToText(due) : null);

    private static PartnerRecord Read(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), SqliteTime.FromText(reader.GetString(4)),
            reader.GetNullableString(5) is { } due ? SqliteTime.FromText(due) : null);
}
