using Router.Transport.Sqlite.Database;

namespace Router.Transport.Sqlite.Schema;

/// <summary>
/// The transport's tables, versioned under the component name "transport" in <c>schema_versions</c>.
/// Migrations are append-only: a released entry is never edited, a change is a new entry.
/// </summary>
internal static class TransportSchema
{
    public const string Component = "transport";

    private static readonly string[] Migrations =
    [
        // One table for every queue: a queue is just a value, so CreateQueue has nothing to do.
        // visible_at/expires_at are unix milliseconds; a leased row is invisible until its lease runs out.
        """
        CREATE TABLE transport_messages (
            id INTEGER PRIMARY KEY,
            queue TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            expires_at INTEGER NULL,
            lease_token TEXT NULL,
            lease_owner TEXT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            headers TEXT NOT NULL,
            body BLOB NOT NULL)
        """,
        // Receive walks this index from the oldest visible row; leased and deferred rows sit beyond 'now'.
        "CREATE INDEX ix_transport_messages_receive ON transport_messages (queue, visible_at, id)",
        // Only messages with a time-to-be-received pay for this index; the periodic cleanup uses it.
        "CREATE INDEX ix_transport_messages_expiry ON transport_messages (expires_at) WHERE expires_at IS NOT NULL",
    ];

    public static Task EnsureAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        database.MigrateAsync(Component, Migrations, cancellationToken);
}
