using Router.Core.Stores;
using Router.Storage.Postgres;
using Router.Storage.Tests.Contract;
using Router.Testing;

namespace Router.Storage.Tests.Postgres;

/// <summary>The state contract on a real PostgreSQL server: one fresh schema per test.</summary>
[TestFixture]
public sealed class PostgresRouterStateContractTests : RouterStateContract
{
    private PostgresTestSchema? schema;

    protected override async Task<IRouterState> CreateStateAsync()
    {
        schema = await PostgresTestSchema.CreateAsync("state");
        return PostgresRouterState.Open(schema.ConnectionString);
    }

    protected override Task<IRouterState> OpenSameStorageAsync() => Task.FromResult<IRouterState>(PostgresRouterState.Open(schema!.ConnectionString));

    protected override async Task DeleteStorageAsync()
    {
        if (schema is not null)
        {
            await schema.DisposeAsync();
        }
    }
}
