using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteJournalStore(SqliteDatabase database) : IJournalStore
{
    public Task AppendAsync(IReadOnlyCollection<JournalEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }
        return database.ExecuteWriteAsync((connection, transaction, ct) => SqliteJournalRows.InsertAsync(connection, transaction, entries, ct),
            durable: false, cancellationToken);
    }

    public Task<IReadOnlyList<JournalEntry>> TraceAsync(string id, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            // Three equalities joined by OR: SQLite answers each from its own index and unions the rowids.
            await using var select = SqliteCommands.Create(connection, null,
                    $"SELECT {SqliteJournalRows.Columns} FROM state_journal " +
                    "WHERE message_id = $id OR correlation_id = $id OR entity_key = $id ORDER BY at, id LIMIT $limit")
                .With("$id", id)
                .With("$limit", limit);
            return await SqliteJournalRows.ReadAllAsync(select, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> SinceAsync(DateTimeOffset since, string? step, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    $"SELECT {SqliteJournalRows.Columns} FROM state_journal WHERE at >= $since AND ($step IS NULL OR step = $step) ORDER BY at, id LIMIT $limit")
                .With("$since", SqliteTime.ToText(since))
                .With("$step", step)
                .With("$limit", limit);
            return await SqliteJournalRows.ReadAllAsync(select, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<JournalCount>> CountSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    "SELECT route, endpoint, step, COUNT(*) FROM state_journal WHERE at >= $since GROUP BY route, endpoint, step")
                .With("$since", SqliteTime.ToText(since));
            var counts = new List<JournalCount>();
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                counts.Add(new JournalCount(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetString(2), reader.GetInt64(3)));
            }
            return (IReadOnlyList<JournalCount>)counts;
        }, cancellationToken);
}
