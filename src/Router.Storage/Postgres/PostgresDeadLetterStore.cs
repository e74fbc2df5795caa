using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresDeadLetterStore(NpgsqlDataSource dataSource, TimeProvider clock) : IDeadLetterStore
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
            $"SELECT {PostgresDeadLetterRows.Columns} FROM state_dead_letters{PostgresDeadLetterFilter.WhereClause(query)} " +
            "ORDER BY last_failed_at DESC, id DESC LIMIT @limit");
        PostgresDeadLetterFilter.Bind(select, query);
        select.With("limit", query.Limit);
        var deadLetters = new List<DeadLetter>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deadLetters.Add(PostgresDeadLetterRows.Read(reader));
        }
        return deadLetters;
    }

    /// <summary>Largest group first; each group shows its most recent failure's message as the sample.</summary>
    public async Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
            "SELECT fingerprint, route, endpoint, error_code, error_message, group_count, group_first, group_last FROM (" +
            "SELECT fingerprint, route, endpoint, error_code, error_message, " +
            "row_number() OVER (PARTITION BY fingerprint ORDER BY last_failed_at DESC, id DESC) AS newest, " +
            "count(*) OVER (PARTITION BY fingerprint) AS group_count, " +
            "min(first_failed_at) OVER (PARTITION BY fingerprint) AS group_first, " +
            "max(last_failed_at) OVER (PARTITION BY fingerprint) AS group_last " +
            $"FROM state_dead_letters{PostgresDeadLetterFilter.WhereClause(query)}) AS grouped " +
            "WHERE newest = 1 ORDER BY group_count DESC, group_last DESC, fingerprint LIMIT @limit");
        PostgresDeadLetterFilter.Bind(select, query);
        select.With("limit", query.Limit);
        var groups = new List<DeadLetterGroup>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(new DeadLetterGroup(
                Fingerprint: reader.GetString(0),
                Route: reader.GetString(1),
                Endpoint: reader.GetNullableString(2),
                ErrorCode: reader.GetString(3),
                SampleMessage: reader.GetString(4),
                Count: (int)reader.GetInt64(5),
                FirstFailedAt: reader.GetTime(6),
                LastFailedAt: reader.GetTime(7)));
        }
        return groups;
    }

    public async Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                $"SELECT {PostgresDeadLetterRows.Columns} FROM state_dead_letters WHERE id = @id")
            .With("id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresDeadLetterRows.Read(reader) : null;
    }

    public async Task<int> ArchiveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var archive = PostgresCommands.Create(connection, null,
                "UPDATE state_dead_letters SET status = 'archived', updated_at = @now WHERE id = ANY(@ids) AND status <> 'archived'")
            .WithArray("ids", ids)
            .With("now", clock.GetUtcNow());
        return await archive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> HasOpenForEntityAsync(string route, string entityKey, CancellationToken cancellationToken) =>
        OpenForEntityAsync(route, entityKey, null, cancellationToken);

    public Task<bool> HasOpenForEntityAsync(string route, string entityKey, DeadLetterResolution except, CancellationToken cancellationToken) =>
        OpenForEntityAsync(route, entityKey, except, cancellationToken);

    private async Task<bool> OpenForEntityAsync(string route, string entityKey, DeadLetterResolution? except, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sql = "SELECT EXISTS (SELECT 1 FROM state_dead_letters WHERE route = @route AND entity_key = @entity_key " +
                  $"AND status IN {PostgresDeadLetterRows.OpenStatuses}" +
                  (except is null ? "" : " AND NOT (message_id = @except_message AND endpoint IS NOT DISTINCT FROM @except_endpoint)") + ")";
        await using var exists = PostgresCommands.Create(connection, null, sql)
            .With("route", route)
            .With("entity_key", entityKey);
        if (except is not null)
        {
            exists.With("except_message", except.MessageId).With("except_endpoint", except.Endpoint);
        }
        return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }
}
