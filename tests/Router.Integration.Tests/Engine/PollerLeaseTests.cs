using Npgsql;
using Router.Core.Leases;
using Router.Integration.Tests.Support;
using Router.Storage.Postgres;
using Router.Testing;

namespace Router.Integration.Tests.Engine;

/// <summary>
/// Scaled out on PostgreSQL, an inbound folder is polled only by the host that holds its lease: not while another
/// host holds it, and by this one once the other host's session dies.
/// </summary>
[CancelAfter(180_000)]
public sealed class PollerLeaseTests
{
    private PostgresTestSchema? schema;
    private string? variable;

    [SetUp]
    public async Task CreateDatabase()
    {
        schema = await PostgresTestSchema.CreateAsync("pollers");
        variable = $"ROUTER_TEST_PG_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, schema.ConnectionString);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        // Also runs when SetUp was ignored for want of a server.
        if (schema is not null)
        {
            Environment.SetEnvironmentVariable(variable!, null);
            await schema.DisposeAsync();
        }
    }

    private string OrdersOnPostgres() => Yaml.Orders(to: "[ archive ]")
        .Replace("  transport: { kind: sqlite }\n  storage: { kind: sqlite, path: ./data/router.db }",
            $"  transport:\n    kind: postgresql\n    connection: ${{env:{variable}}}\n  storage:\n    kind: postgresql\n    connection: ${{env:{variable}}}",
            StringComparison.Ordinal)
        .Replace("    type: order.created", "    poll: 100ms\n    type: order.created", StringComparison.Ordinal);

    /// <summary>Another host: a lease store of its own on the same database, its session named so it can be cut.</summary>
    private PostgresLeaseStore OtherHost() =>
        new(new NpgsqlConnectionStringBuilder(schema!.ConnectionString) { ApplicationName = "other-host-" + schema.Name }.ConnectionString);

    [Test]
    public async Task A_poll_pass_leaves_an_endpoint_whose_lease_another_host_holds()
    {
        var yaml = OrdersOnPostgres();
        Assert.That(yaml, Does.Contain("kind: postgresql"));
        await using var other = OtherHost();
        Assert.That(await other.TryHoldAsync(LeaseNames.Poller("inbox"), CancellationToken.None), Is.True);
        await using var router = await RouterFixture.StartAsync(yaml);
        router.Drop("inbox", "a.json", Yaml.Order("7001"));

        var skipped = await router.RunOnceAsync();
        Assert.That(skipped["inbox"].Accepted, Is.Zero);
        Assert.That(File.Exists(router.Path("inbox", "a.json")), Is.True, "the other host's poller takes it");

        await other.ReleaseAsync(LeaseNames.Poller("inbox"), CancellationToken.None);
        var polled = await router.RunOnceAsync();
        Assert.That(polled["inbox"].Accepted, Is.EqualTo(1));
    }

    [Test]
    public async Task A_running_poller_takes_over_when_the_holding_hosts_session_dies()
    {
        await using var other = OtherHost();
        Assert.That(await other.TryHoldAsync(LeaseNames.Poller("inbox"), CancellationToken.None), Is.True);
        await using var router = await RouterFixture.StartAsync(OrdersOnPostgres());
        router.Drop("inbox", "a.json", Yaml.Order("7002"));
        using var stop = new CancellationTokenSource();
        var pollers = router.Engine.RunPollersAsync(stop.Token);

        await schema!.ExecuteAsync($"SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE application_name = 'other-host-{schema.Name}'");
        await RouterFixture.EventuallyAsync(() => Task.FromResult(File.Exists(router.Path("inbox", "processed", "a.json"))), "this host polled the folder");
        await stop.CancelAsync();
        await pollers;

        await router.DrainAsync();
        Assert.That((await router.TraceAsync("7002-v1")).Select(e => e.Step), Does.Contain("delivered"));
        Assert.That(await other.TryHoldAsync(LeaseNames.Poller("inbox"), CancellationToken.None), Is.True, "released on stopping, so the other host can have it back");
    }
}
