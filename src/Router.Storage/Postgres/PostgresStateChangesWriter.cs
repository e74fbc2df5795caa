using Npgsql;
using NpgsqlTypes;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

/// <summary>
/// Applies a <see cref="StateChanges"/> inside a transaction somebody else owns: the PostgreSQL transport's, so a
/// handled message, what it sent and its state commit together, or the standalone writer's.
/// </summary>
public static class PostgresStateChangesWriter
{
    /// <summary>
    /// Writes every change with <paramref name="transaction"/> in one round trip. Throws <see cref="ReplayClaimLostException"/>,
    /// <see cref="InboxRaceException"/>, <see cref="StaleVersionException"/> or <see cref="SnapshotRevisionException"/> when the commit must not happen; by then the
    /// changes are in the transaction, so the caller rolls it back on any exception.
    /// <paramref name="clock"/> stamps bookkeeping columns only; the changes carry their own event times.
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StateChanges changes, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(clock);
        if (changes.IsEmpty)
        {
            return;
        }
        var now = clock.GetUtcNow();
        await using var batch = new NpgsqlBatch(connection, transaction);
        // Statements whose row count can refuse the commit, each with the exception that refusal becomes.
        var refusals = new List<(NpgsqlBatchCommand Command, Func<Exception> Refusal)>();
        foreach (var claim in changes.ReplayClaims)
        {
            // The row lock makes racing claims wait for each other; the loser re-reads the status and changes nothing.
            var command = Add(batch,
                "UPDATE state_dead_letters SET status = 'replayed', replay_history_json = replay_history_json || jsonb_build_array(@record), " +
                "updated_at = @now WHERE id = @id AND status = 'pending'",
                PostgresCommands.Jsonb("record", RouterJson.Serialize(claim.Replay)), PostgresCommands.Time("now", now), Bigint("id", claim.DeadLetterId));
            refusals.Add((command, () => new ReplayClaimLostException(claim.DeadLetterId)));
        }
        foreach (var entry in changes.InboxEntries)
        {
            // DO NOTHING plus a row count instead of catching a constraint error: the race is an expected outcome,
            // and an error would abort the caller's whole transaction before it could tell which entry lost.
            var command = Add(batch,
                "INSERT INTO state_inbox (scope, message_id, payload_hash, first_seen_at) VALUES (@scope, @message_id, @payload_hash, @first_seen_at) " +
                "ON CONFLICT (scope, message_id) DO NOTHING",
                PostgresCommands.Text("scope", entry.Scope), PostgresCommands.Text("message_id", entry.MessageId),
                PostgresCommands.Text("payload_hash", entry.PayloadHash), PostgresCommands.Time("first_seen_at", entry.FirstSeenAt));
            refusals.Add((command, () => new InboxRaceException(entry.Scope, entry.MessageId)));
        }
        foreach (var update in changes.EntityVersions)
        {
            // Set-if-newer in one statement: the update's WHERE turns "not newer" into zero changed rows.
            var command = Add(batch,
                "INSERT INTO state_entity_versions (scope, entity_key, version, updated_at) VALUES (@scope, @entity_key, @version, @now) " +
                "ON CONFLICT (scope, entity_key) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at " +
                "WHERE excluded.version > state_entity_versions.version",
                PostgresCommands.Text("scope", update.Scope), PostgresCommands.Text("entity_key", update.EntityKey),
                Bigint("version", update.Version), PostgresCommands.Time("now", now));
            refusals.Add((command, () => new StaleVersionException(update.Scope, update.EntityKey, update.Version)));
        }
        foreach (var snapshot in changes.EntitySnapshots)
        {
            // Compare-and-set on the revision: zero changed rows means another commit replaced it since it was read.
            var command = snapshot.ExpectedRevision == 0
                ? Add(batch,
                    "INSERT INTO state_entity_snapshots (scope, entity_key, revision, document_json, updated_at) " +
                    "VALUES (@scope, @entity_key, 1, @document_json, @at) ON CONFLICT (scope, entity_key) DO NOTHING",
                    PostgresCommands.Text("scope", snapshot.Scope), PostgresCommands.Text("entity_key", snapshot.EntityKey),
                    PostgresCommands.Text("document_json", snapshot.DocumentJson), PostgresCommands.Time("at", snapshot.At))
                : Add(batch,
                    "UPDATE state_entity_snapshots SET revision = revision + 1, document_json = @document_json, updated_at = @at " +
                    "WHERE scope = @scope AND entity_key = @entity_key AND revision = @expected",
                    PostgresCommands.Text("scope", snapshot.Scope), PostgresCommands.Text("entity_key", snapshot.EntityKey),
                    PostgresCommands.Text("document_json", snapshot.DocumentJson), PostgresCommands.Time("at", snapshot.At),
                    Bigint("expected", snapshot.ExpectedRevision));
            refusals.Add((command, () => new SnapshotRevisionException(snapshot.Scope, snapshot.EntityKey, snapshot.ExpectedRevision)));
        }
        if (changes.Journal.Count > 0)
        {
            batch.BatchCommands.Add(PostgresJournalRows.Insert(changes.Journal));
        }
        foreach (var deadLetter in changes.DeadLetters)
        {
            AddDeadLetter(batch, deadLetter, now);
        }
        foreach (var resolution in changes.ResolvedDeadLetters)
        {
            Add(batch,
                "UPDATE state_dead_letters SET status = 'resolved', updated_at = @now WHERE message_id = @message_id AND route = @route " +
                $"AND stage = @stage AND endpoint IS NOT DISTINCT FROM @endpoint AND status IN {PostgresDeadLetterRows.OpenStatuses}",
                PostgresCommands.Time("now", now), PostgresCommands.Text("message_id", resolution.MessageId),
                PostgresCommands.Text("route", resolution.Route), PostgresCommands.Text("stage", PostgresDeadLetterRows.StageTextOf(resolution.Endpoint)),
                PostgresCommands.Text("endpoint", resolution.Endpoint));
        }
        foreach (var parked in changes.Parked)
        {
            Add(batch,
                "INSERT INTO state_parked (route, entity_key, message_id, parked_at, envelope_json) " +
                "VALUES (@route, @entity_key, @message_id, @parked_at, @envelope_json)",
                PostgresCommands.Text("route", parked.Route), PostgresCommands.Text("entity_key", parked.EntityKey),
                PostgresCommands.Text("message_id", parked.MessageId), PostgresCommands.Time("parked_at", parked.ParkedAt),
                PostgresCommands.Text("envelope_json", parked.EnvelopeJson));
        }
        if (changes.Unparked.Count > 0)
        {
            Add(batch, "DELETE FROM state_parked WHERE id = ANY(@ids)",
                new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Unparked.ToArray() });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (command, refusal) in refusals)
        {
            if (command.RecordsAffected == 0)
            {
                throw refusal();
            }
        }
    }

    /// <summary>
    /// A message failing again on the same leg reopens its open dead letter rather than adding a second one: admins see
    /// one row per stuck message, with how often it failed and its whole replay history.
    /// </summary>
    private static void AddDeadLetter(NpgsqlBatch batch, DeadLetter deadLetter, DateTimeOffset now) =>
        Add(batch,
            "WITH reopened AS (UPDATE state_dead_letters SET attempts = attempts + @attempts, last_failed_at = greatest(last_failed_at, @last_failed_at), " +
            "correlation_id = coalesce(@correlation_id, correlation_id), entity_key = coalesce(@entity_key, entity_key), " +
            "message_type = coalesce(@message_type, message_type), error_kind = @error_kind, error_code = @error_code, " +
            "error_message = @error_message, error_details = @error_details, fingerprint = @fingerprint, envelope_json = @envelope_json, " +
            "facts_json = @facts_json, status = 'pending', updated_at = @now " +
            "WHERE id = (SELECT id FROM state_dead_letters WHERE message_id = @message_id AND route = @route AND stage = @stage " +
            $"AND endpoint IS NOT DISTINCT FROM @endpoint AND status IN {PostgresDeadLetterRows.OpenStatuses} ORDER BY id DESC LIMIT 1) RETURNING id) " +
            "INSERT INTO state_dead_letters (message_id, correlation_id, entity_key, message_type, route, stage, endpoint, error_kind, " +
            "error_code, error_message, error_details, attempts, first_failed_at, last_failed_at, fingerprint, status, envelope_json, " +
            "facts_json, replay_history_json, updated_at) SELECT @message_id, @correlation_id, @entity_key, @message_type, @route, @stage, " +
            "@endpoint, @error_kind, @error_code, @error_message, @error_details, @attempts, @first_failed_at, @last_failed_at, @fingerprint, " +
            "@status, @envelope_json, @facts_json, @replay_history_json, @now WHERE NOT EXISTS (SELECT 1 FROM reopened)",
            PostgresCommands.Text("message_id", deadLetter.MessageId),
            PostgresCommands.Text("correlation_id", deadLetter.CorrelationId),
            PostgresCommands.Text("entity_key", deadLetter.EntityKey),
            PostgresCommands.Text("message_type", deadLetter.MessageType),
            PostgresCommands.Text("route", deadLetter.Route),
            PostgresCommands.Text("stage", PostgresDeadLetterRows.StageText(deadLetter.Stage)),
            PostgresCommands.Text("endpoint", deadLetter.Endpoint),
            PostgresCommands.Text("error_kind", deadLetter.ErrorKind),
            PostgresCommands.Text("error_code", deadLetter.ErrorCode),
            PostgresCommands.Text("error_message", deadLetter.ErrorMessage),
            PostgresCommands.Text("error_details", deadLetter.ErrorDetails),
            new NpgsqlParameter("attempts", NpgsqlDbType.Integer) { Value = Math.Max(deadLetter.Attempts, 1) },
            PostgresCommands.Time("first_failed_at", deadLetter.FirstFailedAt),
            PostgresCommands.Time("last_failed_at", deadLetter.LastFailedAt),
            PostgresCommands.Text("fingerprint", deadLetter.Fingerprint),
            PostgresCommands.Text("status", PostgresDeadLetterRows.StatusText(deadLetter.Status)),
            PostgresCommands.Text("envelope_json", deadLetter.EnvelopeJson),
            PostgresCommands.Jsonb("facts_json", RouterJson.Serialize(deadLetter.Facts)),
            PostgresCommands.Jsonb("replay_history_json", RouterJson.Serialize(deadLetter.ReplayHistory)),
            PostgresCommands.Time("now", now));

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static NpgsqlParameter Bigint(string name, long value) => new(name, NpgsqlDbType.Bigint) { Value = value };
}
