using Router.Core.Stores;
using Router.Storage.Sqlite;
using Router.Storage.Tests.Contract;

namespace Router.Storage.Tests.Sqlite;

[TestFixture]
public sealed class SqliteRouterStateContractTests : RouterStateContract
{
    private TemporaryDatabaseFile file = null!;

    protected override Task<IRouterState> CreateStateAsync()
    {
        file = new TemporaryDatabaseFile();
        return Task.FromResult<IRouterState>(SqliteRouterState.Open(file.Path));
    }

    protected override Task<IRouterState> OpenSameStorageAsync() => Task.FromResult<IRouterState>(SqliteRouterState.Open(file.Path));

    protected override Task DeleteStorageAsync()
    {
        file.Delete();
        return Task.CompletedTask;
    }
}
