using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

/// <summary>
/// What every implementation of the router's state must do, tested only through the Core interfaces. A backend
/// subclasses this once (SQLite here, PostgreSQL later) and supplies fresh, empty storage per test.
/// </summary>
[CancelAfter(60_000)]
public abstract partial class RouterStateContract
{
    /// <summary>Times with a non-UTC offset and whole milliseconds, so every backend can store them exactly.</summary>
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(3));

    protected IRouterState State { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    /// <summary>A state over new, empty storage (not migrated yet).</summary>
    protected abstract Task<IRouterState> CreateStateAsync();

    /// <summary>A second state over the storage the last <see cref="CreateStateAsync"/> made, as a restarted process would open it.</summary>
    protected abstract Task<IRouterState> OpenSameStorageAsync();

    /// <summary>Removes the storage after the test; the state is already disposed.</summary>
    protected abstract Task DeleteStorageAsync();

    [SetUp]
    public async Task CreateMigratedState()
    {
        State = await CreateStateAsync();
        await State.MigrateAsync(Ct);
    }

    [TearDown]
    public async Task DisposeAndDeleteState()
    {
        // Null when SetUp stopped early (a backend whose test server is missing ignores its tests there).
        if (State is not null)
        {
            await State.DisposeAsync();
        }
        await DeleteStorageAsync();
    }

    protected static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    protected Task CommitAsync(Action<StateChanges> describe)
    {
        var changes = new StateChanges();
        describe(changes);
        return State.Writer.CommitAsync(changes, Ct);
    }

    /// <summary>Swaps the state for one reopened over the same storage.</summary>
    protected async Task ReopenAsync()
    {
        await State.DisposeAsync();
        State = await OpenSameStorageAsync();
    }
}
