using Npgsql;

namespace Router.Storage.Postgres;

/// <summary>
/// Applies a component's versioned migrations once each, recording them in <c>router_schema_migrations</c>. Two hosts
/// starting at once serialize on a transaction-level advisory lock: the second waits, then finds nothing left to do.
/// DDL is transactional in PostgreSQL, so a failing migration leaves no half-made schema behind.
/// </summary>
public static class PostgresMigrator
{
    /// <summary>The advisory lock every migration of every component takes ("router-migrate" as bytes).</summary>
    private const long MigrationLockKey = 0x726f757465722d6d;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string component, IReadOnlyList<string> migrations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresCommands.Create(connection, transaction, "SELECT pg_advisory_xact_lock(@key)")
            .With("key", MigrationLockKey)
            .ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        await PostgresCommands.Create(connection, transaction,
                "CREATE TABLE IF NOT EXISTS router_schema_migrations (component text NOT NULL, version integer NOT NULL, " +
                "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))")
            .ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        int applied;
        await using (var select = PostgresCommands.Create(connection, transaction,
                         "SELECT coalesce(max(version), 0) FROM router_schema_migrations WHERE component = @component")
                     .With("component", component))
        {
            applied = Convert.ToInt32(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
        }
        if (applied > migrations.Count)
        {
            throw new InvalidOperationException(
                $"the database's '{component}' schema is at version {applied}, newer than this build knows ({migrations.Count}); upgrade the router");
        }
        for (var version = applied + 1; version <= migrations.Count; version++)
        {
            await PostgresCommands.Create(connection, transaction, migrations[version - 1])
                .ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
            await PostgresCommands.Create(connection, transaction,
                    "INSERT INTO router_schema_migrations (component, version) VALUES (@component, @version)")
                .With("component", component)
                .With("version", version)
                .ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
