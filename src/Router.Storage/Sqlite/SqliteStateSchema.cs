namespace Router.Storage.Sqlite;

/// <summary>
/// The router state's tables, versioned under the component "state" in the shared file's schema_versions.
/// Migrations are append-only: a released migration is never edited, a change is a new entry.
/// Tables carry a <c>state_</c> prefix because the transport's queue tables live in the same file.
/// </summary>
internal static class SqliteStateSchema
{
    public const string Component = "state";

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE state_inbox (
            scope         TEXT NOT NULL,
            message_id    TEXT NOT NULL,
            payload_hash  TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            PRIMARY KEY (scope, message_id)
        ) WITHOUT ROWID;

        -- A rowid alias rather than AUTOINCREMENT: ids only break ties between equal times, and the journal is
        -- pruned from the oldest end, so rowids never go back; AUTOINCREMENT would cost a write per insert.
        CREATE TABLE state_journal (
            id             INTEGER PRIMARY KEY,
            at             TEXT NOT NULL,
            message_id     TEXT NOT NULL,
            correlation_id TEXT,
            entity_key     TEXT,
            route          TEXT,
            endpoint       TEXT,
            step           TEXT NOT NULL,
            detail         TEXT,
            duration_ms    REAL
        );
        CREATE INDEX ix_state_journal_message ON state_journal (message_id);
        CREATE INDEX ix_state_journal_correlation ON state_journal (correlation_id) WHERE correlation_id IS NOT NULL;
        CREATE INDEX ix_state_journal_entity ON state_journal (entity_key) WHERE entity_key IS NOT NULL;
        CREATE INDEX ix_state_journal_at ON state_journal (at);

        -- AUTOINCREMENT: admins address dead letters by id, so an id must never be handed out twice.
        CREATE TABLE state_dead_letters (
            id                  INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id          TEXT NOT NULL,
            correlation_id      TEXT,
            entity_key          TEXT,
            message_type        TEXT,
            route               TEXT NOT NULL,
            stage               TEXT NOT NULL,
            endpoint            TEXT,
            error_kind          TEXT NOT NULL,
            error_code          TEXT NOT NULL,
            error_message       TEXT NOT NULL,
            error_details       TEXT,
            attempts            INTEGER NOT NULL,
            first_failed_at     TEXT NOT NULL,
            last_failed_at      TEXT NOT NULL,
            fingerprint         TEXT NOT NULL,
            status              TEXT NOT NULL,
            envelope_json       TEXT NOT NULL,
            facts_json          TEXT NOT NULL,
            replay_history_json TEXT NOT NULL,
            updated_at          TEXT NOT NULL
        );
        CREATE INDEX ix_state_dead_letters_time ON state_dead_letters (last_failed_at);
        CREATE INDEX ix_state_dead_letters_status ON state_dead_letters (status, last_failed_at);
        CREATE INDEX ix_state_dead_letters_route ON state_dead_letters (route, last_failed_at);
        CREATE INDEX ix_state_dead_letters_endpoint ON state_dead_letters (endpoint, last_failed_at) WHERE endpoint IS NOT NULL;
        CREATE INDEX ix_state_dead_letters_message ON state_dead_letters (message_id, route);
        CREATE INDEX ix_state_dead_letters_fingerprint ON state_dead_letters (fingerprint);
        -- Ordered routes ask this for every message; only open dead letters are indexed, so it stays tiny.
        CREATE INDEX ix_state_dead_letters_open_entity ON state_dead_letters (route, entity_key)
            WHERE status IN ('pending', 'replayed') AND entity_key IS NOT NULL;

        CREATE TABLE state_entity_versions (
            scope      TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            version    INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (scope, entity_key)
        ) WITHOUT ROWID;

        -- AUTOINCREMENT: an unpark names its row by id; a reused id could release another entity's message.
        CREATE TABLE state_parked (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            route         TEXT NOT NULL,
            entity_key    TEXT NOT NULL,
            message_id    TEXT NOT NULL,
            parked_at     TEXT NOT NULL,
            envelope_json TEXT NOT NULL
        );
        CREATE INDEX ix_state_parked_entity ON state_parked (route, entity_key, parked_at);
        """,
        // 2: what conflict detection knows of each entity of a two-way sync, one JSON document per key.
        """
        CREATE TABLE state_entity_snapshots (
            scope         TEXT NOT NULL,
            entity_key    TEXT NOT NULL,
            revision      INTEGER NOT NULL,
            document_json TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            PRIMARY KEY (scope, entity_key)
        ) WITHOUT ROWID;
        """,
        // 3: what endpoints keep about their side effects (SMS claims, carrier orders to poll).
        """
        CREATE TABLE state_partner_records (
            endpoint   TEXT NOT NULL,
            key        TEXT NOT NULL,
            status     TEXT NOT NULL,
            data_json  TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            due_at     TEXT,
            PRIMARY KEY (endpoint, key)
        ) WITHOUT ROWID;
        CREATE INDEX ix_state_partner_records_due ON state_partner_records (endpoint, due_at) WHERE due_at IS NOT NULL;
        """,
    ];
}
