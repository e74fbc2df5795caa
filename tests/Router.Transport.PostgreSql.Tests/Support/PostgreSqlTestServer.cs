using Router.Testing;

namespace Router.Transport.PostgreSql.Tests;

/// <summary>
/// One schema and queue table for the whole run: the contract factories are made with <c>new()</c> and cannot wait
/// for a server, and every test uses queue names of its own, so sharing the table keeps tests apart all the same.
/// </summary>
[SetUpFixture]
public sealed class PostgreSqlTestServer
{
    private static PostgresTestSchema? schema;

    public static PostgresTestSchema Schema => schema ?? throw new InvalidOperationException("the PostgreSQL test schema was not created");

    public const string Table = "router_messages";

    [OneTimeSetUp]
    public async Task CreateSchemaAndTable()
    {
        schema = await PostgresTestSchema.CreateAsync("transport");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(schema.ConnectionString);
        await new PostgreSqlQueueTable(dataSource, schema.Name, Table).EnsureCreatedAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DropSchema()
    {
        if (schema is not null)
        {
            await schema.DisposeAsync();
        }
    }
}
