using Rebus.Activation;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Retry.Simple;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Messages;

/// <summary>A row someone edited by hand must not jam its queue: Rebus gets it, fails it, and moves it aside.</summary>
public sealed class UnreadableRowTests
{
    private TestDatabaseFile file = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        file = new TestDatabaseFile();
        await new Router.Transport.Sqlite.Inspection.SqliteQueues(file.Database).EnsureSchemaAsync();
        await ExecuteAsync(file.Database,
            "INSERT INTO transport_messages (queue, visible_at, headers, body) VALUES ('q', 0, 'this is not json', x'00')");
    }

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task A_row_with_unreadable_headers_ends_in_the_error_queue()
    {
        using var activator = new BuiltinHandlerActivator();
        using var bus = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(file.Database, "q"))
            .Options(o => o.RetryStrategy("error", maxDeliveryAttempts: 2))
            .Start();

        using var errors = NewTransport(file.Database, "error");
        TransportMessage? deadLetter = null;
        var arrived = await EventuallyAsync(async () => (deadLetter = await ReceiveOnceAsync(errors)) is not null);

        Assert.That(arrived, Is.True);
        Assert.That(deadLetter!.Headers[Headers.MessageId], Does.StartWith("sqlite-transport-row-"));
        Assert.That(deadLetter.Headers, Does.ContainKey("sqlite-transport-unreadable-headers"));
        Assert.That(await EventuallyAsync(async () => await CountAsync(file.Database, "q") == 0), Is.True);
    }
}
