using Npgsql;
using Router.Storage.Postgres;
using Router.Testing;

namespace Router.Storage.Tests.Postgres;

/// <summary>Two hosts' lease stores on one database: exactly one holds a lease, and a dead holder's lease passes on.</summary>
[CancelAfter(60_000)]
public sealed class PostgresLeaseStoreTests
{
    private const string Lease = "poll:onec-ftp";

    private PostgresTestSchema? schema;
    private readonly List<PostgresLeaseStore> stores = [];

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task CreateSchema() => schema = await PostgresTestSchema.CreateAsync("leases");

    [TearDown]
    public async Task DisposeStores()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
        stores.Clear();
        if (schema is not null)
        {
            await schema.DisposeAsync();
        }
    }

    /// <summary>A host's store; its session is named so the test can cut exactly that connection.</summary>
    private PostgresLeaseStore Host(string name)
    {
        var store = new PostgresLeaseStore(new NpgsqlConnectionStringBuilder(schema!.ConnectionString) { ApplicationName = $"{name}-{schema.Name}" }.ConnectionString);
        stores.Add(store);
        return store;
    }

    /// <summary>Waits until the backend is gone (the timeout form of pg_terminate_backend), so its locks are released.</summary>
    private Task<object?> TerminateAsync(string name) =>
        schema!.ExecuteAsync($"SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 30000)) FROM pg_stat_activity WHERE application_name = '{name}-{schema.Name}'");

    [Test]
    public async Task Only_one_host_holds_a_lease_and_keeps_it()
    {
        var first = Host("first");
        var second = Host("second");

        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);
        Assert.That(await second.TryHoldAsync(Lease, Ct), Is.False);
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True, "the holder still holds it at its next attempt");
        Assert.That(await second.TryHoldAsync(Lease, Ct), Is.False);
    }

    [Test]
    public async Task Leases_are_independent_of_each_other()
    {
        var first = Host("first");
        var second = Host("second");

        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);
        Assert.That(await second.TryHoldAsync("poll:orders-inbox", Ct), Is.True);
        Assert.That(await first.TryHoldAsync("poll:orders-inbox", Ct), Is.False);
    }

    [Test]
    public async Task When_the_holders_connection_is_killed_another_host_takes_over_at_its_next_attempt()
    {
        var first = Host("first");
        var second = Host("second");
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);
        Assert.That(await second.TryHoldAsync(Lease, Ct), Is.False);

        Assert.That(await TerminateAsync("first"), Is.EqualTo(1L), "the first host's lease session was found and terminated");

        Assert.That(await second.TryHoldAsync(Lease, Ct), Is.True, "the lease died with the first host's session");
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.False, "the first host notices, reconnects and finds it taken");
    }

    [Test]
    public async Task A_holder_that_lost_its_connection_takes_its_lease_back_when_nobody_else_did()
    {
        var first = Host("first");
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);

        await TerminateAsync("first");

        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);
        Assert.That(await Host("second").TryHoldAsync(Lease, Ct), Is.False);
    }

    [Test]
    public async Task A_released_or_disposed_holders_lease_goes_to_the_next_host_that_asks()
    {
        var first = Host("first");
        var second = Host("second");
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True);

        await first.ReleaseAsync(Lease, Ct);
        Assert.That(await second.TryHoldAsync(Lease, Ct), Is.True, "released");

        await second.DisposeAsync();
        Assert.That(await first.TryHoldAsync(Lease, Ct), Is.True, "its holder stopped");
    }
}
