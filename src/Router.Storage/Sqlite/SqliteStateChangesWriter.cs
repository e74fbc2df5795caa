using Microsoft.Data.Sqlite;
using Router.Core.Stores;

namespace Router.Storage.Sqlite;

/// <summary>
/// Applies a <see cref="StateChanges"/> inside a transaction somebody else owns: the SQLite transport's commit of
/// the received message (the transactional outbox) or the group-commit writer's for standalone commits.
/// </summary>
public static class SqliteStateChangesWriter
{
    /// <summary>
    /// Writes every change with <paramref name="transaction"/>. Throws <see cref="ReplayClaimLostException"/>,
    /// <see cref="InboxRaceException"/>, <see cref="StaleVersionException"/> or <see cref="SnapshotRevisionException"/> when the commit must not happen; by then part of the changes may be in
    /// the transaction, so the caller rolls back (its savepoint or the whole transaction) on any exception.
    /// <paramref name="clock"/> stamps bookkeeping columns only; the changes carry their own event times.
    /// </summary>
    public static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, StateChanges changes, TimeProvider clock,
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
        var now = SqliteTime.ToText(clock.GetUtcNow());
        // The writes that can refuse the commit go first, so a refusal has wasted as little work as possible.
        if (changes.ReplayClaims.Count > 0)
        {
            await ClaimReplaysAsync(connection, transaction, changes.ReplayClaims, now, cancellationToken).ConfigureAwait(false);
        }
        if (changes.InboxEntries.Count > 0)
        {
            await InsertInboxEntriesAsync(connection, transaction, changes.InboxEntries, cancellationToken).ConfigureAwait(false);
        }
        if (changes.EntityVersions.Count > 0)
        {
            await SetEntityVersionsAsync(connection, transaction, changes.EntityVersions, now, cancellationToken).ConfigureAwait(false);
        }
        if (changes.EntitySnapshots.Count > 0)
        {
            await ReplaceSnapshotsAsync(connection, transaction, changes.EntitySnapshots, cancellationToken).ConfigureAwait(false);
        }
        if (changes.Journal.Count > 0)
        {
            await SqliteJournalRows.InsertAsync(connection, transaction, changes.Journal, cancellationToken).ConfigureAwait(false);
        }
        if (changes.DeadLetters.Count > 0)
        {
            await RecordDeadLettersAsync(connection, transaction, changes.DeadLetters, now, cancellationToken).ConfigureAwait(false);
        }
        if (changes.ResolvedDeadLetters.Count > 0)
        {
            await ResolveDeadLettersAsync(connection, transaction, changes.ResolvedDeadLetters, now, cancellationToken).ConfigureAwait(false);
        }
        if (changes.Parked.Count > 0)
        {
            await ParkAsync(connection, transaction, changes.Parked, cancellationToken).ConfigureAwait(false);
        }
        if (changes.Unparked.Count > 0)
        {
            await UnparkAsync(connection, transaction, changes.Unparked, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ClaimReplaysAsync(SqliteConnection connection, SqliteTransaction transaction, List<ReplayClaim> claims,
        string now, CancellationToken cancellationToken)
    {
        // Read-check-write is atomic: the caller's transaction is the database's only writer, so two admins
        // replaying the same dead letter at once cannot both see it pending.
        foreach (var claim in claims)
        {
            if (await SqliteDeadLetterStore.ReadStatusAsync(connection, transaction, claim.DeadLetterId, cancellationToken).ConfigureAwait(false)
                is not ("pending", var historyJson))
            {
                throw new ReplayClaimLostException(claim.DeadLetterId);
            }
            var history = SqliteDeadLetterRows.ParseHistory(historyJson);
            history.Add(claim.Replay);
            await SqliteDeadLetterStore.UpdateStatusAsync(connection, transaction, claim.DeadLetterId, DeadLetterStatus.Replayed, history, now,
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task InsertInboxEntriesAsync(SqliteConnection connection, SqliteTransaction transaction, List<InboxEntry> entries,
        CancellationToken cancellationToken)
    {
        // DO NOTHING plus a row count instead of catching a constraint error: the race is an expected outcome.
        await using var insert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_inbox (scope, message_id, payload_hash, first_seen_at) VALUES ($scope, $message_id, $payload_hash, $first_seen_at) " +
            "ON CONFLICT (scope, message_id) DO NOTHING");
        var scope = insert.Declare("$scope", SqliteType.Text);
        var messageId = insert.Declare("$message_id", SqliteType.Text);
        var payloadHash = insert.Declare("$payload_hash", SqliteType.Text);
        var firstSeenAt = insert.Declare("$first_seen_at", SqliteType.Text);
        foreach (var entry in entries)
        {
            scope.Bind(entry.Scope);
            messageId.Bind(entry.MessageId);
            payloadHash.Bind(entry.PayloadHash);
            firstSeenAt.Bind(SqliteTime.ToText(entry.FirstSeenAt));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InboxRaceException(entry.Scope, entry.MessageId);
            }
        }
    }

    private static async Task SetEntityVersionsAsync(SqliteConnection connection, SqliteTransaction transaction, List<EntityVersionUpdate> updates,
        string now, CancellationToken cancellationToken)
    {
        // Set-if-newer in one statement: the update's WHERE turns "not newer" into zero changed rows.
        await using var upsert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_entity_versions (scope, entity_key, version, updated_at) VALUES ($scope, $entity_key, $version, $now) " +
            "ON CONFLICT (scope, entity_key) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at " +
            "WHERE excluded.version > state_entity_versions.version");
        var scope = upsert.Declare("$scope", SqliteType.Text);
        var entityKey = upsert.Declare("$entity_key", SqliteType.Text);
        var version = upsert.Declare("$version", SqliteType.Integer);
        upsert.With("$now", now);
        foreach (var update in updates)
        {
            scope.Bind(update.Scope);
            entityKey.Bind(update.EntityKey);
            version.Bind(update.Version);
            if (await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new StaleVersionException(update.Scope, update.EntityKey, update.Version);
            }
        }
    }

    private static async Task ReplaceSnapshotsAsync(SqliteConnection connection, SqliteTransaction transaction, List<EntitySnapshotUpdate> updates,
        CancellationToken cancellationToken)
    {
        // Compare-and-set on the revision in one statement each: zero changed rows means another commit got there first.
        await using var insert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_entity_snapshots (scope, entity_key, revision, document_json, updated_at) " +
            "VALUES ($scope, $entity_key, 1, $document_json, $updated_at) ON CONFLICT (scope, entity_key) DO NOTHING");
        await using var update = SqliteCommands.Create(connection, transaction,
            "UPDATE state_entity_snapshots SET revision = revision + 1, document_json = $document_json, updated_at = $updated_at " +
            "WHERE scope = $scope AND entity_key = $entity_key AND revision = $expected");
        foreach (var snapshot in updates)
        {
            var command = snapshot.ExpectedRevision == 0 ? insert : update;
            command.Parameters.Clear();
            command.With("$scope", snapshot.Scope)
                .With("$entity_key", snapshot.EntityKey)
                .With("$document_json", snapshot.DocumentJson)
                .With("$updated_at", SqliteTime.ToText(snapshot.At));
            if (snapshot.ExpectedRevision != 0)
            {
                command.With("$expected", snapshot.ExpectedRevision);
            }
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new SnapshotRevisionException(snapshot.Scope, snapshot.EntityKey, snapshot.ExpectedRevision);
            }
        }
    }

    private static async Task RecordDeadLettersAsync(SqliteConnection connection, SqliteTransaction transaction, List<DeadLetter> deadLetters,
        string now, CancellationToken cancellationToken)
    {
        // A message failing again on the same leg reopens its open dead letter rather than adding a second one:
        // admins see one row per stuck message, with how often it failed and its whole replay history.
        await using var reopen = SqliteCommands.Create(connection, transaction,
            "UPDATE state_dead_letters SET attempts = attempts + $attempts, last_failed_at = max(last_failed_at, $last_failed_at), " +
            "correlation_id = coalesce($correlation_id, correlation_id), entity_key = coalesce($entity_key, entity_key), " +
            "message_type = coalesce($message_type, message_type), error_kind = $error_kind, error_code = $error_code, " +
            "error_message = $error_message, error_details = $error_details, fingerprint = $fingerprint, envelope_json = $envelope_json, " +
            "facts_json = $facts_json, status = 'pending', updated_at = $now " +
            "WHERE id = (SELECT id FROM state_dead_letters WHERE message_id = $message_id AND route = $route AND stage = $stage " +
            $"AND endpoint IS $endpoint AND status IN {SqliteDeadLetterRows.OpenStatuses} ORDER BY id DESC LIMIT 1)");
        await using var insert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_dead_letters (message_id, correlation_id, entity_key, message_type, route, stage, endpoint, error_kind, " +
            "error_code, error_message, error_details, attempts, first_failed_at, last_failed_at, fingerprint, status, envelope_json, " +
            "facts_json, replay_history_json, updated_at) VALUES ($message_id, $correlation_id, $entity_key, $message_type, $route, $stage, " +
            "$endpoint, $error_kind, $error_code, $error_message, $error_details, $attempts, $first_failed_at, $last_failed_at, $fingerprint, " +
            "$status, $envelope_json, $facts_json, $replay_history_json, $now)");
        foreach (var deadLetter in deadLetters)
        {
            BindDeadLetter(reopen, deadLetter, now);
            if (await reopen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                continue;
            }
            BindDeadLetter(insert, deadLetter, now);
            insert.With("$first_failed_at", SqliteTime.ToText(deadLetter.FirstFailedAt))
                .With("$status", SqliteDeadLetterRows.StatusText(deadLetter.Status))
                .With("$replay_history_json", SqliteDeadLetterRows.HistoryJson(deadLetter.ReplayHistory));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void BindDeadLetter(SqliteCommand command, DeadLetter deadLetter, string now)
    {
        // Dead letters are rare next to journal rows, so rebinding by name per row is fine here.
        command.Parameters.Clear();
        command.With("$message_id", deadLetter.MessageId)
            .With("$correlation_id", deadLetter.CorrelationId)
            .With("$entity_key", deadLetter.EntityKey)
            .With("$message_type", deadLetter.MessageType)
            .With("$route", deadLetter.Route)
            .With("$stage", SqliteDeadLetterRows.StageText(deadLetter.Stage))
            .With("$endpoint", deadLetter.Endpoint)
            .With("$error_kind", deadLetter.ErrorKind)
            .With("$error_code", deadLetter.ErrorCode)
            .With("$error_message", deadLetter.ErrorMessage)
            .With("$error_details", deadLetter.ErrorDetails)
            .With("$attempts", Math.Max(deadLetter.Attempts, 1))
            .With("$last_failed_at", SqliteTime.ToText(deadLetter.LastFailedAt))
            .With("$fingerprint", deadLetter.Fingerprint)
            .With("$envelope_json", deadLetter.EnvelopeJson)
            .With("$facts_json", SqliteDeadLetterRows.FactsJson(deadLetter.Facts))
            .With("$now", now);
    }

    private static async Task ResolveDeadLettersAsync(SqliteConnection connection, SqliteTransaction transaction,
        List<DeadLetterResolution> resolutions, string now, CancellationToken cancellationToken)
    {
        await using var resolve = SqliteCommands.Create(connection, transaction,
            "UPDATE state_dead_letters SET status = 'resolved', updated_at = $now " +
            "WHERE message_id = $message_id AND route = $route AND stage = $stage AND endpoint IS $endpoint " +
            $"AND status IN {SqliteDeadLetterRows.OpenStatuses}");
        var messageId = resolve.Declare("$message_id", SqliteType.Text);
        var route = resolve.Declare("$route", SqliteType.Text);
        var stage = resolve.Declare("$stage", SqliteType.Text);
        var endpoint = resolve.Declare("$endpoint", SqliteType.Text);
        resolve.With("$now", now);
        foreach (var resolution in resolutions)
        {
            messageId.Bind(resolution.MessageId);
            route.Bind(resolution.Route);
            stage.Bind(SqliteDeadLetterRows.StageTextOf(resolution.Endpoint));
            endpoint.Bind(resolution.Endpoint);
            await resolve.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ParkAsync(SqliteConnection connection, SqliteTransaction transaction, List<ParkedMessage> parked,
        CancellationToken cancellationToken)
    {
        await using var insert = SqliteCommands.Create(connection, transaction,
            "INSERT INTO state_parked (route, entity_key, message_id, parked_at, envelope_json) " +
            "VALUES ($route, $entity_key, $message_id, $parked_at, $envelope_json)");
        var route = insert.Declare("$route", SqliteType.Text);
        var entityKey = insert.Declare("$entity_key", SqliteType.Text);
        var messageId = insert.Declare("$message_id", SqliteType.Text);
        var parkedAt = insert.Declare("$parked_at", SqliteType.Text);
        var envelopeJson = insert.Declare("$envelope_json", SqliteType.Text);
        foreach (var message in parked)
        {
            route.Bind(message.Route);
            entityKey.Bind(message.EntityKey);
            messageId.Bind(message.MessageId);
            parkedAt.Bind(SqliteTime.ToText(message.ParkedAt));
            envelopeJson.Bind(message.EnvelopeJson);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task UnparkAsync(SqliteConnection connection, SqliteTransaction transaction, List<long> ids,
        CancellationToken cancellationToken)
    {
        await using var delete = SqliteCommands.Create(connection, transaction, "DELETE FROM state_parked WHERE id = $id");
        var id = delete.Declare("$id", SqliteType.Integer);
        foreach (var parkedId in ids)
        {
            id.Bind(parkedId);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
