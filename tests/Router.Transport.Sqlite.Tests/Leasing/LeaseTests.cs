using System.Diagnostics;
using System.Globalization;
using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Leasing;

/// <summary>Leases keep messages with their receiver while it lives, and give them back when it does not.</summary>
public sealed class LeaseTests
{
    private TestDatabaseFile file = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        file = new TestDatabaseFile();
        await new Router.Transport.Sqlite.Inspection.SqliteQueues(file.Database).EnsureSchemaAsync();
    }

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task Messages_leased_by_a_dead_process_on_this_machine_are_received_at_once()
    {
        await InsertLeasedRowAsync("orphan", owner: $"{Environment.MachineName}:{int.MaxValue - 7}:0:dead");

        using var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().Lease(TimeSpan.FromMinutes(5)));
        var received = await ReceiveOnceAsync(receiver);

        Assert.That(received, Is.Not.Null, "the dead owner's lease (an hour away) must not keep the message");
        Assert.That(TextOf(received!), Is.EqualTo("orphan"));
    }

    [Test]
    public async Task Messages_leased_by_a_live_process_or_another_machine_stay_leased()
    {
        using var self = Process.GetCurrentProcess();
        var liveOwner = string.Create(CultureInfo.InvariantCulture,
            $"{Environment.MachineName}:{self.Id}:{self.StartTime.ToUniversalTime().Ticks}:another-transport");
        await InsertLeasedRowAsync("held by a live process", liveOwner);
        await InsertLeasedRowAsync("held on another machine", $"some-other-host:{int.MaxValue - 7}:0:remote");
        await InsertLeasedRowAsync("held by a reused pid", $"{Environment.MachineName}:{self.Id}:12345:previous-process");

        using var receiver = NewTransport(file.Database, "q");
        var received = new List<string>();
        while (await ReceiveOnceAsync(receiver) is { } message)
        {
            received.Add(TextOf(message));
        }

        Assert.That(received, Is.EqualTo(new[] { "held by a reused pid" }));
    }

    [Test]
    public async Task A_long_handler_keeps_its_message_because_the_lease_is_renewed()
    {
        var lease = TimeSpan.FromSeconds(3);
        using var holder = NewTransport(file.Database, "q", new SqliteTransportOptions().Lease(lease));
        using var competitor = NewTransport(file.Database, "q", new SqliteTransportOptions().Lease(lease));
        await SendAsync(holder, "q", Message("slow work"));

        using (var scope = new RebusTransactionScope())
        {
            Assert.That(await holder.Receive(scope.TransactionContext, CancellationToken.None), Is.Not.Null);
            var firstLeaseEnds = await VisibleAtAsync();
            // The handler is still busy when its first lease has run out...
            Assert.That(await EventuallyAsync(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > firstLeaseEnds + 200), Is.True);

            var renewedUntil = await VisibleAtAsync();
            var stolen = await ReceiveOnceAsync(competitor);

            Assert.That(renewedUntil, Is.GreaterThan(firstLeaseEnds), "the lease must have been renewed");
            Assert.That(stolen, Is.Null, "nobody else may receive a message whose receiver is still working on it");
            await scope.CompleteAsync();
        }

        Assert.That(await CountAsync(file.Database, "q"), Is.Zero);
    }

    private Task<long> VisibleAtAsync() => ScalarAsync(file.Database, "SELECT visible_at FROM transport_messages WHERE queue = 'q'");

    [Test]
    public async Task A_receiver_whose_lease_was_lost_commits_nothing()
    {
        using var receiver = NewTransport(file.Database, "q");
        await SendAsync(receiver, "q", Message("contested"));

        using (var scope = new RebusTransactionScope())
        {
            Assert.That(await receiver.Receive(scope.TransactionContext, CancellationToken.None), Is.Not.Null);
            // As if the lease had run out and another receiver had taken the row meanwhile.
            await ExecuteAsync(file.Database, "UPDATE transport_messages SET lease_token = 'someone-else' WHERE queue = 'q'");
            await receiver.Send("out", Message("must not be sent"), scope.TransactionContext);
            Assert.That(async () => await scope.CompleteAsync(), Throws.InstanceOf<SqliteLeaseLostException>());
        }

        Assert.That(await CountAsync(file.Database, "out"), Is.Zero);
        Assert.That(await ScalarAsync(file.Database, "SELECT COUNT(*) FROM transport_messages WHERE queue = 'q' AND lease_token = 'someone-else'"),
            Is.EqualTo(1), "the other holder's row is left alone");
    }

    [Test]
    public async Task Disposing_a_transport_releases_prefetched_messages_but_not_the_one_being_handled()
    {
        var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().Prefetch(10).Lease(TimeSpan.FromMinutes(5)));
        await SendAsync(receiver, "q", Enumerable.Range(1, 5).Select(i => Message($"m{i}")).ToArray());
        var inFlight = new RebusTransactionScope();
        Assert.That(await receiver.Receive(inFlight.TransactionContext, CancellationToken.None), Is.Not.Null);

        receiver.Dispose();
        using var next = NewTransport(file.Database, "q");
        var received = new List<string>();
        while (await ReceiveOnceAsync(next) is { } message)
        {
            received.Add(TextOf(message));
        }

        Assert.That(received, Is.EquivalentTo(new[] { "m2", "m3", "m4", "m5" }));
        inFlight.Dispose();
    }

    [Test]
    public async Task Receive_honours_cancellation()
    {
        using var receiver = NewTransport(file.Database, "q");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var scope = new RebusTransactionScope();

        Assert.That(async () => await receiver.Receive(scope.TransactionContext, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    private Task InsertLeasedRowAsync(string text, string owner) =>
        ExecuteAsync(file.Database,
            "INSERT INTO transport_messages (queue, visible_at, lease_token, lease_owner, delivery_count, headers, body) " +
            "VALUES ('q', $visible, 'token', $owner, 1, $headers, $body)",
            ("$visible", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()),
            ("$owner", owner),
            ("$headers", $"{{\"{Headers.MessageId}\":\"{Guid.NewGuid()}\"}}"),
            ("$body", System.Text.Encoding.UTF8.GetBytes(text)));
}
