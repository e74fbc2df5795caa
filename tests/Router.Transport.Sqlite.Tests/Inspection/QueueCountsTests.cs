using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Sqlite.Inspection;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Inspection;

/// <summary>What <c>router run --once</c> asks: is every queue drained, and when is the next deferred message due.</summary>
public sealed class QueueCountsTests
{
    private TestDatabaseFile file = null!;

    [SetUp]
    public void CreateDatabase() => file = new TestDatabaseFile();

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task Each_message_is_counted_as_ready_leased_deferred_or_expired()
    {
        // Prefetched messages are leased too: take one at a time to leave one ready.
        using var transport = NewTransport(file.Database, "q", new SqliteTransportOptions().Prefetch(1));
        var dueAt = DateTimeOffset.UtcNow.AddHours(1);
        await SendAsync(transport, "q",
            Message("ready 1"),
            Message("ready 2"),
            WithHeader(Message("deferred"), Headers.DeferredUntil, dueAt.ToString("O")),
            WithHeader(Message("expired"), Headers.TimeToBeReceived, "00:00:00.001"));
        await Task.Delay(50);
        using var scope = new RebusTransactionScope();
        Assert.That(await transport.Receive(scope.TransactionContext, CancellationToken.None), Is.Not.Null);

        var counts = await transport.Queues.GetCountsAsync("q");

        Assert.That(counts.Ready, Is.EqualTo(1));
        Assert.That(counts.Leased, Is.EqualTo(1));
        Assert.That(counts.Deferred, Is.EqualTo(1));
        Assert.That(counts.Expired, Is.EqualTo(1));
        Assert.That(counts.NextDueAt, Is.EqualTo(dueAt).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(counts.IsDrained, Is.False);
    }

    [Test]
    public async Task A_queue_with_only_deferred_messages_is_drained_and_tells_when_the_next_is_due()
    {
        using var transport = NewTransport(file.Database, "q");
        var first = DateTimeOffset.UtcNow.AddMinutes(5);
        await SendAsync(transport, "q",
            WithHeader(Message("later"), Headers.DeferredUntil, first.AddMinutes(5).ToString("O")),
            WithHeader(Message("sooner"), Headers.DeferredUntil, first.ToString("O")));

        var all = await transport.Queues.GetAllCountsAsync();

        Assert.That(all, Has.Count.EqualTo(1));
        Assert.That(all[0].IsDrained, Is.True);
        Assert.That(all[0].NextDueAt, Is.EqualTo(first).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That((await transport.Queues.GetCountsAsync("never-used")).IsDrained, Is.True);
    }

    [Test]
    public async Task Purge_empties_one_queue_and_leaves_the_others()
    {
        var queues = new SqliteQueues(file.Database);
        using var transport = NewTransport(file.Database, "q");
        await SendAsync(transport, "q", Message("1"), Message("2"));
        await SendAsync(transport, "other", Message("3"));

        var purged = await queues.PurgeAsync("q");

        Assert.That(purged, Is.EqualTo(2));
        Assert.That((await queues.GetCountsAsync("q")).Ready, Is.Zero);
        Assert.That((await queues.GetCountsAsync("other")).Ready, Is.EqualTo(1));
    }

    private static TransportMessage WithHeader(TransportMessage message, string key, string value)
    {
        message.Headers[key] = value;
        return message;
    }
}
