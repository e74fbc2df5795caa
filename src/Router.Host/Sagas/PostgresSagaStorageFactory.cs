using Rebus.Config;
using Rebus.Sagas;
using Router.Core.Sagas;
using Router.Transport.PostgreSql;

namespace Router.Host.Sagas;

/// <summary>
/// Rebus.PostgreSql's saga storage in the router's PostgreSQL state database (tables <c>router_saga_data</c> and
/// <c>router_saga_index</c>, created on first use). Its writes use their own connection, committed just before the
/// transport's: a crash in between handles the message again, which the saga's inbox and its state make harmless.
/// </summary>
public sealed class PostgresSagaStorageFactory(string connectionString) : ISagaStorageFactory
{
    public const string DataTable = "router_saga_data";
    public const string IndexTable = "router_saga_index";

    public string Name => "PostgreSQL (Rebus.PostgreSql)";

    /// <summary>In the schema the connection's search path names first, beside the router's other tables (Rebus would pick 'public').</summary>
    public void Configure(StandardConfigurer<ISagaStorage> configurer) =>
        configurer.StoreInPostgres(connectionString, DataTable, IndexTable, schemaName: PostgreSqlTransportOptions.DefaultSchemaOf(connectionString));
}
