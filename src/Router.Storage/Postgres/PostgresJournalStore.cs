using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresJournalStore(NpgsqlDataSource dataSource) : IJournalStore
{
    public async Task AppendAsync(IReadOnlyCollection<JournalEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(PostgresJournalRows.Insert(entries));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> TraceAsync(string id, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Three equalities joined by OR: the planner answers each from its own index and ORs the bitmaps.
        await using var select = PostgresCommands.Create(connection, null,
                $"SELECT {PostgresJournalRows.Columns} FROM state_journal " +
                "WHERE message_id = @id OR correlation_id = @id OR entity_key = @id ORDER BY at, id LIMIT @limit")
            .With("id", id)
            .With("limit", limit);
        return await PostgresJournalRows.ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> SinceAsync(DateTimeOffset since, string? step, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                $"SELECT {PostgresJournalRows.Columns} FROM state_journal WHERE at >= @since AND (@step::text IS NULL OR step = @step) " +
                "ORDER BY at, id LIMIT @limit")
            .With("since", since)
            .With("step", step)
            .With("limit", limit);
        return await PostgresJournalRows.ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalCount>> CountSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                "SELECT route, endpoint, step, count(*) FROM state_journal WHERE at >= @since GROUP BY route, endpoint, step")
            .With("since", since);
        var counts = new List<JournalCount>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new JournalCount(reader.GetNullableString(0), reader.GetNullableString(1), reader.GetString(2), reader.GetInt64(3)));
        }
        return counts;
    }
}
