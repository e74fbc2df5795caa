using Npgsql;

namespace Router.Testing;

/// <summary>
/// A fresh, empty schema in the test server's database (from <c>ROUTER_TEST_POSTGRES</c>), so fixtures never see each
/// other's tables; <see cref="ConnectionString"/> puts it first on the search path. Dropped with everything in it.
/// </summary>
public sealed class PostgresTestSchema : IAsyncDisposable
{
    private readonly string serverConnectionString;

    private PostgresTestSchema(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresTestSchema> CreateAsync(string purpose = "test")
    {
        var server = TestServers.Require("ROUTER_TEST_POSTGRES");
        var schema = new PostgresTestSchema(server, $"{purpose}_{Guid.NewGuid():N}");
        await schema.ExecuteAsync($"CREATE SCHEMA \"{schema.Name}\"");
        return schema;
    }

    /// <summary>Runs SQL on a connection of its own (not in the schema's pool), as an administrator would.</summary>
    public async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE");
    }
}
