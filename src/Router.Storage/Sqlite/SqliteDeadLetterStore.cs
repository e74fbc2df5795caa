using Microsoft.Data.Sqlite;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteDeadLetterStore(SqliteDatabase database, TimeProvider clock) : IDeadLetterStore
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync<IReadOnlyList<DeadLetter>>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                $"SELECT {SqliteDeadLetterRows.Columns} FROM state_dead_letters{SqliteDeadLetterFilter.WhereClause(query)} " +
                "ORDER BY last_failed_at DESC, id DESC LIMIT $limit");
            SqliteDeadLetterFilter.Bind(select, query);
            select.With("$limit", query.Limit);
            var deadLetters = new List<DeadLetter>();
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                deadLetters.Add(SqliteDeadLetterRows.Read(reader));
            }
            return deadLetters;
        }, cancellationToken);
    }

    /// <summary>Largest group first; each group shows its most recent failure's message as the sample.</summary>
    public Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync<IReadOnlyList<DeadLetterGroup>>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                "SELECT fingerprint, route, endpoint, error_code, error_message, group_count, group_first, group_last FROM (" +
                "SELECT fingerprint, route, endpoint, error_code, error_message, " +
                "row_number() OVER (PARTITION BY fingerprint ORDER BY last_failed_at DESC, id DESC) AS newest, " +
                "count(*) OVER (PARTITION BY fingerprint) AS group_count, " +
                "min(first_failed_at) OVER (PARTITION BY fingerprint) AS group_first, " +
                "max(last_failed_at) OVER (PARTITION BY fingerprint) AS group_last " +
                $"FROM state_dead_letters{SqliteDeadLetterFilter.WhereClause(query)}) " +
                "WHERE newest = 1 ORDER BY group_count DESC, group_last DESC, fingerprint LIMIT $limit");
            SqliteDeadLetterFilter.Bind(select, query);
            select.With("$limit", query.Limit);
            var groups = new List<DeadLetterGroup>();
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                groups.Add(new DeadLetterGroup(
                    Fingerprint: reader.GetString(0),
                    Route: reader.GetString(1),
                    Endpoint: reader.GetNullableString(2),
                    ErrorCode: reader.GetString(3),
                    SampleMessage: reader.GetString(4),
                    Count: reader.GetInt32(5),
                    FirstFailedAt: SqliteTime.FromText(reader.GetString(6)),
                    LastFailedAt: SqliteTime.FromText(reader.GetString(7))));
            }
            return groups;
        }, cancellationToken);
    }

    public Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync<DeadLetter?>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    $"SELECT {SqliteDeadLetterRows.Columns} FROM state_dead_letters WHERE id = $id")
                .With("$id", id);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? SqliteDeadLetterRows.Read(reader) : null;
        }, cancellationToken);

    public Task<int> ArchiveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }
        return database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await using var archive = SqliteCommands.Create(connection, transaction,
                    "UPDATE state_dead_letters SET status = 'archived', updated_at = $now " +
                    "WHERE id IN (SELECT value FROM json_each($ids)) AND status <> 'archived'")
                .With("$ids", RouterJson.Serialize(ids))
                .With("$now", SqliteTime.ToText(clock.GetUtcNow()));
            return await archive.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, durable: false, cancellationToken);
    }

    public Task<bool> HasOpenForEntityAsync(string route, string entityKey, CancellationToken cancellationToken) =>
        OpenForEntityAsync(route, entityKey, null, cancellationToken);

    public Task<bool> HasOpenForEntityAsync(string route, string entityKey, DeadLetterResolution except, CancellationToken cancellationToken) =>
        OpenForEntityAsync(route, entityKey, except, cancellationToken);

    private Task<bool> OpenForEntityAsync(string route, string entityKey, DeadLetterResolution? except, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            // Worded like the partial index ix_state_dead_letters_open_entity so the planner can use it.
            var sql = "SELECT EXISTS (SELECT 1 FROM state_dead_letters WHERE route = $route AND entity_key = $entity_key " +
                      $"AND status IN {SqliteDeadLetterRows.OpenStatuses}" +
                      (except is null ? "" : " AND NOT (message_id = $except_message AND endpoint IS $except_endpoint)") + ")";
            await using var exists = SqliteCommands.Create(connection, null, sql)
                .With("$route", route)
                .With("$entity_key", entityKey);
            if (except is not null)
            {
                exists.With("$except_message", except.MessageId).With("$except_endpoint", except.Endpoint);
            }
            return await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is 1L;
        }, cancellationToken);

    /// <summary>
    /// Status and replay history of one dead letter, or null if there is none with that id. Shared with
    /// <see cref="SqliteStateChangesWriter"/>, whose replay claims read and update inside the caller's write transaction.
    /// </summary>
    internal static async Task<(string Status, string HistoryJson)?> ReadStatusAsync(SqliteConnection connection, SqliteTransaction transaction,
        long id, CancellationToken cancellationToken)
    {
        await using var select = SqliteCommands.Create(connection, transaction,
                "SELECT status, replay_history_json FROM state_dead_letters WHERE id = $id")
            .With("$id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    internal static async Task UpdateStatusAsync(SqliteConnection connection, SqliteTransaction transaction, long id, DeadLetterStatus status,
        IReadOnlyList<ReplayRecord> history, string now, CancellationToken cancellationToken)
    {
        await using var update = SqliteCommands.Create(connection, transaction,
                "UPDATE state_dead_letters SET status = $status, replay_history_json = $history, updated_at = $now WHERE id = $id")
            .With("$status", SqliteDeadLetterRows.StatusText(status))
            .With("$history", SqliteDeadLetterRows.HistoryJson(history))
            .With("$now", now)
            .With("$id", id);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
