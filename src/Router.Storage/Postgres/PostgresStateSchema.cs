namespace Router.Storage.Postgres;

/// <summary>
/// The router state's tables, versioned under the component "state" in <c>router_schema_migrations</c>. Migrations are
/// append-only: a released one is never edited, a change is a new entry. Tables are unqualified, so a connection
/// string's <c>Search Path</c> picks the schema (tests give every fixture its own).
/// </summary>
internal static class PostgresStateSchema
{
    public const string Component = "state";

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE state_inbox (
            scope         text NOT NULL,
            message_id    text NOT NULL,
            payload_hash  text NOT NULL,
            first_seen_at timestamptz NOT NULL,
            PRIMARY KEY (scope, message_id)
        );

        -- Identity ids only break ties between equal times (and keep a batch's write order).
        CREATE TABLE state_journal (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at             timestamptz NOT NULL,
            message_id     text NOT NULL,
            correlation_id text,
            entity_key     text,
            route          text,
            endpoint       text,
            step           text NOT NULL,
            detail         text,
            duration_ms    double precision
        );
        CREATE INDEX ix_state_journal_message ON state_journal (message_id);
        CREATE INDEX ix_state_journal_correlation ON state_journal (correlation_id) WHERE correlation_id IS NOT NULL;
        CREATE INDEX ix_state_journal_entity ON state_journal (entity_key) WHERE entity_key IS NOT NULL;
        CREATE INDEX ix_state_journal_at ON state_journal (at);

        -- Admins address dead letters by id; an identity never hands one out twice.
        CREATE TABLE state_dead_letters (
            id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            message_id          text NOT NULL,
            correlation_id      text,
            entity_key          text,
            message_type        text,
            route               text NOT NULL,
            stage               text NOT NULL,
            endpoint            text,
            error_kind          text NOT NULL,
            error_code          text NOT NULL,
            error_message       text NOT NULL,
            error_details       text,
            attempts            integer NOT NULL,
            first_failed_at     timestamptz NOT NULL,
            last_failed_at      timestamptz NOT NULL,
            fingerprint         text NOT NULL,
            status              text NOT NULL,
            envelope_json       text NOT NULL,
            facts_json          jsonb NOT NULL,
            replay_history_json jsonb NOT NULL,
            updated_at          timestamptz NOT NULL
        );
        CREATE INDEX ix_state_dead_letters_time ON state_dead_letters (last_failed_at);
        CREATE INDEX ix_state_dead_letters_status ON state_dead_letters (status, last_failed_at);
        CREATE INDEX ix_state_dead_letters_route ON state_dead_letters (route, last_failed_at);
        CREATE INDEX ix_state_dead_letters_endpoint ON state_dead_letters (endpoint, last_failed_at) WHERE endpoint IS NOT NULL;
        CREATE INDEX ix_state_dead_letters_fingerprint ON state_dead_letters (fingerprint);
        -- One open dead letter per message and leg. SQLite gets this from having one writer; here two hosts could
        -- both miss the open row and insert, so the second commit fails, is retried, and then reopens the first.
        CREATE UNIQUE INDEX ux_state_dead_letters_open_leg ON state_dead_letters (message_id, route, stage, coalesce(endpoint, ''))
            WHERE status IN ('pending', 'replayed');
        -- Ordered routes ask this for every message; only open dead letters are indexed, so it stays tiny.
        CREATE INDEX ix_state_dead_letters_open_entity ON state_dead_letters (route, entity_key)
            WHERE status IN ('pending', 'replayed') AND entity_key IS NOT NULL;

        CREATE TABLE state_entity_versions (
            scope      text NOT NULL,
            entity_key text NOT NULL,
            version    bigint NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (scope, entity_key)
        );

        CREATE TABLE state_parked (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            route         text NOT NULL,
            entity_key    text NOT NULL,
            message_id    text NOT NULL,
            parked_at     timestamptz NOT NULL,
            envelope_json text NOT NULL
        );
        CREATE INDEX ix_state_parked_entity ON state_parked (route, entity_key, parked_at);
        """,
        // 2: what two-way sync knows of each entity (customer conflicts), replaced compare-and-set on its revision.
        """
        CREATE TABLE state_entity_snapshots (
            scope         text NOT NULL,
            entity_key    text NOT NULL,
            revision      bigint NOT NULL,
            document_json text NOT NULL,
            updated_at    timestamptz NOT NULL,
            PRIMARY KEY (scope, entity_key)
        );
        """,
        // 3: what endpoints keep about their side effects (SMS claims, carrier orders to poll).
        """
        CREATE TABLE state_partner_records (
            endpoint   text NOT NULL,
            key        text NOT NULL,
            status     text NOT NULL,
            data_json  text NOT NULL,
            updated_at timestamptz NOT NULL,
            due_at     timestamptz,
            PRIMARY KEY (endpoint, key)
        );
        CREATE INDEX ix_state_partner_records_due ON state_partner_records (endpoint, due_at) WHERE due_at IS NOT NULL;
        """,
    ];
}
