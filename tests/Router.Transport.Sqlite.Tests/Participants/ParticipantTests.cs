using Rebus.Activation;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Pipeline;
using Rebus.Retry.Simple;
using Rebus.Transport;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Participants;

/// <summary>The router's state commits in the same transaction as the message, or not at all.</summary>
public sealed class ParticipantTests
{
    private TestDatabaseFile file = null!;
    private RecordingParticipant participant = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        file = new TestDatabaseFile();
        participant = new RecordingParticipant();
        await ExecuteAsync(file.Database, RecordingParticipant.CreateTableSql);
    }

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task A_participant_commits_with_the_received_message_and_its_sends()
    {
        using var receiver = NewTransport(file.Database, "in", Options().AddParticipant(participant));
        using var client = NewTransport(file.Database, null);
        await SendAsync(client, "in", Message("input"));

        using (var scope = new RebusTransactionScope())
        {
            scope.TransactionContext.Items[RecordingParticipant.TagKey] = "handled";
            Assert.That(await receiver.Receive(scope.TransactionContext, CancellationToken.None), Is.Not.Null);
            await receiver.Send("out", Message("output"), scope.TransactionContext);
            await scope.CompleteAsync();
        }

        Assert.That(await LoggedTagsAsync(), Is.EqualTo(new[] { "handled" }));
        Assert.That(await CountAsync(file.Database, "in"), Is.Zero);
        Assert.That(await CountAsync(file.Database, "out"), Is.EqualTo(1));
    }

    [Test]
    public async Task When_a_participant_throws_the_message_comes_back_and_nothing_is_sent()
    {
        using var receiver = NewTransport(file.Database, "in", Options().AddParticipant(participant));
        using var client = NewTransport(file.Database, null);
        await SendAsync(client, "in", Message("input"));

        using (var scope = new RebusTransactionScope())
        {
            scope.TransactionContext.Items[RecordingParticipant.TagKey] = RecordingParticipant.FailTag;
            Assert.That(await receiver.Receive(scope.TransactionContext, CancellationToken.None), Is.Not.Null);
            await receiver.Send("out", Message("output"), scope.TransactionContext);
            Assert.That(async () => await scope.CompleteAsync(), Throws.InstanceOf<InvalidOperationException>()
                .With.Message.Contains("the participant refuses this commit"));
        }
        var loggedAfterFailure = await LoggedTagsAsync();
        var sentAfterFailure = await CountAsync(file.Database, "out");
        var again = await ReceiveOnceAsync(receiver);

        Assert.That(loggedAfterFailure, Is.Empty, "the participant's own write rolls back too");
        Assert.That(sentAfterFailure, Is.Zero, "nothing of the failed commit is sent");
        Assert.That(again, Is.Not.Null, "the message comes back at once");
        Assert.That(again!.Headers[Headers.DeliveryCount], Is.EqualTo("2"));
        Assert.That(await CountAsync(file.Database, "in"), Is.Zero);
    }

    [Test]
    public async Task A_send_only_commit_runs_the_participants_in_its_write()
    {
        var client = NewTransport(file.Database, null, Options().AddParticipant(participant));
        using (client)
        {
            using (var scope = new RebusTransactionScope())
            {
                scope.TransactionContext.Items[RecordingParticipant.TagKey] = "handed-off";
                await client.Send("in", Message("one"), scope.TransactionContext);
                await client.Send("in", Message("two"), scope.TransactionContext);
                await scope.CompleteAsync();
            }
            using (var scope = new RebusTransactionScope())
            {
                scope.TransactionContext.Items[RecordingParticipant.TagKey] = RecordingParticipant.FailTag;
                await client.Send("in", Message("three"), scope.TransactionContext);
                Assert.That(async () => await scope.CompleteAsync(), Throws.InstanceOf<InvalidOperationException>());
            }
        }

        Assert.That(await LoggedTagsAsync(), Is.EqualTo(new[] { "handed-off" }));
        Assert.That(await CountAsync(file.Database, "in"), Is.EqualTo(2));
    }

    [Test]
    public async Task On_a_bus_a_failing_participant_makes_the_delivery_fail_and_the_retry_sends_once()
    {
        participant.FailNextCalls = 1;
        var attempts = 0;
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<Ping>(async (bus, ping) =>
        {
            Interlocked.Increment(ref attempts);
            await bus.Advanced.Routing.Send("out", new Pong(ping.Id));
        });
        using var bus = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(file.Database, "in").AddParticipant(participant))
            .Options(o => o.RetryStrategy("error", maxDeliveryAttempts: 5))
            .Start();
        using var client = Configure.OneWayClient().Logging(l => l.None()).Transport(t => t.UseSqliteAsOneWayClient(file.Database)).Start();

        await client.Advanced.Routing.Send("in", new Ping("p1"));
        var settled = await EventuallyAsync(async () =>
            await CountAsync(file.Database, "out") == 1 && await CountAsync(file.Database, "in") == 0);

        Assert.That(settled, Is.True);
        Assert.That(Volatile.Read(ref attempts), Is.EqualTo(2), "the participant's failure counts as a failed delivery");
        Assert.That(await CountAsync(file.Database, "out"), Is.EqualTo(1), "the failed attempt's send was never written");
        Assert.That(await ScalarAsync(file.Database, "SELECT COUNT(*) FROM participant_log"), Is.EqualTo(1));
    }

    [Test]
    public async Task On_a_bus_a_participant_that_keeps_failing_sends_the_message_to_the_error_queue_with_its_exception()
    {
        var attempts = 0;
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<Ping>(async (bus, ping) =>
        {
            Interlocked.Increment(ref attempts);
            MessageContext.Current.TransactionContext.Items[RecordingParticipant.TagKey] = RecordingParticipant.FailTag;
            await bus.Advanced.Routing.Send("out", new Pong(ping.Id));
        });
        using var bus = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(file.Database, "in").AddParticipant(participant))
            .Options(o => o.RetryStrategy("error", maxDeliveryAttempts: 3))
            .Start();

        await bus.SendLocal(new Ping("p2"));
        using var errors = NewTransport(file.Database, "error");
        TransportMessage? deadLetter = null;
        var arrived = await EventuallyAsync(async () => (deadLetter = await ReceiveOnceAsync(errors)) is not null);

        Assert.That(arrived, Is.True);
        Assert.That(deadLetter!.Headers[Headers.ErrorDetails], Does.Contain("the participant refuses this commit"));
        Assert.That(Volatile.Read(ref attempts), Is.EqualTo(3));
        Assert.That(await CountAsync(file.Database, "out"), Is.Zero);
        Assert.That(await EventuallyAsync(async () => await CountAsync(file.Database, "in") == 0), Is.True);
    }

    private static SqliteTransportOptions Options() => new SqliteTransportOptions().Lease(TimeSpan.FromSeconds(2));

    private Task<List<string?>> LoggedTagsAsync() =>
        file.Database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT tag FROM participant_log ORDER BY id";
            var tags = new List<string?>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tags.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
            }
            return tags;
        });

    public sealed record Ping(string Id);

    public sealed record Pong(string Id);
}
