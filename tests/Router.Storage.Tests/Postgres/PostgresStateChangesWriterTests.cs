using Router.Core.Stores;
using Router.Storage.Postgres;
using Router.Testing;

namespace Router.Storage.Tests.Postgres;

/// <summary>
/// The transport's path: state changes written inside a transaction the caller owns live and die with it; and hosts
/// starting at once migrate one after the other.
/// </summary>
[CancelAfter(60_000)]
public sealed class PostgresStateChangesWriterTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private PostgresTestSchema? schema;
    private PostgresRouterState state = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task OpenState()
    {
        schema = await PostgresTestSchema.CreateAsync("writer");
        state = PostgresRouterState.Open(schema.ConnectionString);
        await state.MigrateAsync(Ct);
    }

    [TearDown]
    public async Task DropState()
    {
        // Also runs when SetUp was ignored for want of a server.
        if (schema is not null)
        {
            await state.DisposeAsync();
            await schema.DisposeAsync();
        }
    }

    private static StateChanges OneOfEach()
    {
        var changes = new StateChanges();
        changes.InboxEntries.Add(new InboxEntry("orders-to-1c", "m-1", "hash-a", At));
        changes.Journal.Add(new JournalEntry { At = At, MessageId = "m-1", Step = JournalSteps.Received });
        changes.DeadLetters.Add(new DeadLetter
        {
            MessageId = "m-1",
            Route = "orders-to-1c",
            Stage = DeadLetterStage.Route,
            ErrorKind = "permanent",
            ErrorCode = "schema-violation",
            ErrorMessage = "total is missing",
            FirstFailedAt = At,
            LastFailedAt = At,
            Fingerprint = DeadLetterFingerprint.Compute("orders-to-1c", null, "schema-violation", "total is missing"),
            EnvelopeJson = "{}",
        });
        changes.EntityVersions.Add(new EntityVersionUpdate("orders-to-1c", "order:1001", 1));
        changes.Parked.Add(new ParkedMessage { Route = "orders-to-1c", EntityKey = "order:1001", MessageId = "m-2", ParkedAt = At, EnvelopeJson = "{}" });
        return changes;
    }

    private async Task<bool[]> WhatIsStoredAsync() =>
    [
        await state.Inbox.FindAsync("orders-to-1c", "m-1", Ct) is not null,
        (await state.Journal.TraceAsync("m-1", 10, Ct)).Count > 0,
        (await state.DeadLetters.ListAsync(new DeadLetterQuery(), Ct)).Count > 0,
        await state.EntityVersions.GetAsync("orders-to-1c", "order:1001", Ct) is not null,
        await state.Parking.CountAsync(Ct) > 0,
    ];

    private async Task WriteInOwnTransactionAsync(bool commit)
    {
        await using var connection = await state.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await PostgresStateChangesWriter.WriteAsync(connection, transaction, OneOfEach(), TimeProvider.System, Ct);
        Assert.That(await WhatIsStoredAsync(), Is.All.False, "nothing is visible to others before the caller commits");
        if (commit)
        {
            await transaction.CommitAsync(Ct);
        }
        else
        {
            await transaction.RollbackAsync(Ct);
        }
    }

    [Test]
    public async Task Changes_commit_with_the_callers_transaction()
    {
        await WriteInOwnTransactionAsync(commit: true);

        Assert.That(await WhatIsStoredAsync(), Is.All.True);
    }

    [Test]
    public async Task Changes_roll_back_with_the_callers_transaction()
    {
        await WriteInOwnTransactionAsync(commit: false);

        Assert.That(await WhatIsStoredAsync(), Is.All.False);
    }

    [Test]
    public async Task Hosts_migrating_at_once_apply_each_migration_exactly_once()
    {
        await using var fresh = await PostgresTestSchema.CreateAsync("migrate");
        var hosts = Enumerable.Range(0, 4).Select(_ => PostgresRouterState.Open(fresh.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(host => Task.Run(() => host.MigrateAsync(Ct))));

            var applied = await fresh.ExecuteAsync($"SELECT count(*) FROM \"{fresh.Name}\".router_schema_migrations WHERE component = 'state'");
            Assert.That(applied, Is.EqualTo(3L), "three migrations (the state's tables, entity snapshots, partner records), each applied by one host");
            await hosts[0].Writer.CommitAsync(OneOfEach(), Ct);
            Assert.That(await hosts[3].Parking.CountAsync(Ct), Is.EqualTo(1));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
