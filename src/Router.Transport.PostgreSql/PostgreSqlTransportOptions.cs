using Npgsql;

namespace Router.Transport.PostgreSql;

/// <summary>Where the queue table is and who else writes in its transactions.</summary>
public sealed record PostgreSqlTransportOptions
{
    /// <summary>Pooled connections; owned by the caller (one pool for every bus of a host).</summary>
    public required NpgsqlDataSource DataSource { get; init; }

    /// <summary>One table holds every queue (a <c>recipient</c> column tells them apart), as Rebus.PostgreSql lays it out.</summary>
    public string Table { get; init; } = "router_messages";

    public string Schema { get; init; } = "public";

    /// <summary>How often a receiving transport deletes expired messages (Rebus.PostgreSql counts it in whole seconds).</summary>
    public TimeSpan ExpiredMessagesCleanupInterval { get; init; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<IPostgresTransactionParticipant> Participants { get; init; } = [];

    /// <summary>The schema to use when none is given: the first one on the connection string's search path, else public.</summary>
    public static string DefaultSchemaOf(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).SearchPath?.Split(',')[0].Trim().Trim('"') is { Length: > 0 } first
            ? first
            : "public";
}
