using Microsoft.Data.Sqlite;
using Router.Core.Stores;
using Router.Storage.Sqlite;

namespace Router.Storage.Tests.Sqlite;

/// <summary>The transport's path: state changes written inside a transaction the caller owns live and die with it.</summary>
[CancelAfter(60_000)]
public sealed class SqliteStateChangesWriterTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private TemporaryDatabaseFile file = null!;
    private SqliteRouterState state = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task OpenState()
    {
        file = new TemporaryDatabaseFile();
        state = SqliteRouterState.Open(file.Path);
        await state.MigrateAsync(Ct);
    }

    [TearDown]
    public async Task DeleteState()
    {
        await state.DisposeAsync();
        file.Delete();
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
        await using var connection = new SqliteConnection(state.Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = connection.BeginTransaction();
        await SqliteStateChangesWriter.WriteAsync(connection, transaction, OneOfEach(), TimeProvider.System, Ct);
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
    public async Task Changes_roll_back_when_the_group_commit_work_that_wrote_them_fails()
    {
        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => state.Database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await SqliteStateChangesWriter.WriteAsync(connection, transaction, OneOfEach(), TimeProvider.System, ct);
            throw new InvalidOperationException("the transport failed after writing the state");
        }, cancellationToken: Ct));

        Assert.That(failure!.Message, Does.Contain("transport failed"));
        Assert.That(await WhatIsStoredAsync(), Is.All.False);
    }
}
