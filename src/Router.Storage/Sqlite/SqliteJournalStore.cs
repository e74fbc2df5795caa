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

    public Task<IReadOnlyList<JournalEntry>> SinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    $"SELECT {SqliteJournalRows.Columns} FROM state_journal WHERE at >= $since ORDER BY at, id LIMIT $limit")
                .With("$since", SqliteTime.ToText(since))
                .With("$limit", limit);
            return await SqliteJournalRows.ReadAllAsync(select, ct).ConfigureAwait(false);
        }, cancellationToken);
}
