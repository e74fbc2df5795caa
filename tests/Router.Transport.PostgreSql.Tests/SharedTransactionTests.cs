using System.Text;
using Npgsql;
using Rebus.Activation;
using Rebus.Config;
using Rebus.Messages;
using Rebus.Retry.Simple;
using Rebus.Transport;

namespace Router.Transport.PostgreSql.Tests;

/// <summary>
/// What the router adds to Rebus.PostgreSql's transport: rows of a participant (the router's state) commit in the
/// very transaction that removes the received message and inserts what it sent, or none of it does; and a handler
/// that fails sends nothing, even when Rebus acknowledges its message to dead-letter it (Rebus.PostgreSql issue 53).
/// </summary>
[CancelAfter(120_000)]
public sealed class SharedTransactionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private PostgreSqlTransportFactory factory = null!;
    private RecordingParticipant participant = null!;
    private PostgreSqlTransportOptions options = null!;

    [SetUp]
    public async Task CreateTransportsAndParticipantTable()
    {
        factory = new PostgreSqlTransportFactory();
        participant = new RecordingParticipant($"\"{PostgreSqlTestServer.Schema.Name}\".\"participant_{Guid.NewGuid():N}\"");
        options = factory.Options with { Participants = [participant] };
        await using var command = factory.Options.DataSource.CreateCommand($"CREATE TABLE {participant.Table} (note text NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    [TearDown]
    public Task CleanUp() => factory.CleanUpAsync();

    private static string NewQueue(string purpose) => $"shared-{purpose}-{Guid.NewGuid():N}";

    private static TransportMessage Message(string text) =>
        new(new Dictionary<string, string> { [Headers.MessageId] = Guid.NewGuid().ToString() }, Encoding.UTF8.GetBytes(text));

    private async Task SendAsync(ITransport transport, string queue, string text)
    {
        using var scope = new RebusTransactionScope();
        await transport.Send(queue, Message(text), scope.TransactionContext);
        await scope.CompleteAsync();
    }

    private static async Task<TransportMessage?> ReceiveWithinAsync(ITransport transport, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            using var scope = new RebusTransactionScope();
            if (await transport.Receive(scope.TransactionContext, CancellationToken.None) is { } message)
            {
                await scope.CompleteAsync();
                return message;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                return null;
            }
            await Task.Delay(20);
        }
    }

    private async Task<long> ParticipantRowsAsync()
    {
        await using var command = factory.Options.DataSource.CreateCommand($"SELECT count(*) FROM {participant.Table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> QueueLengthAsync(string queue)
    {
        var counts = await new PostgreSqlQueueTable(factory.Options.DataSource, factory.Options.Schema, factory.Options.Table)
            .CountAsync([queue], CancellationToken.None);
        return counts.Sum(c => c.Due + c.Deferred);
    }

    /// <summary>Receives one message in a scope, sends one on, and lets the participant write; completes or not.</summary>
    private async Task HandleOneAsync(string input, string output, bool participantRefuses)
    {
        var transport = (RouterPostgreSqlTransport)factory.Create(input);
        var handler = RouterPostgreSqlConfigurationExtensions.Create(options, input);
        try
        {
            await SendAsync(transport, input, "in");
            using var scope = new RebusTransactionScope();
            TransportMessage? received = null;
            for (var deadline = DateTimeOffset.UtcNow + Generous; received is null && DateTimeOffset.UtcNow < deadline; await Task.Delay(20))
            {
                received = await handler.Receive(scope.TransactionContext, CancellationToken.None);
            }
            Assert.That(received, Is.Not.Null);
            await handler.Send(output, Message("out"), scope.TransactionContext);
            scope.TransactionContext.Items[RecordingParticipant.NoteKey] = "handled";
            scope.TransactionContext.Items[RecordingParticipant.RefuseKey] = participantRefuses;
            await scope.CompleteAsync();
        }
        finally
        {
            handler.Dispose();
        }
    }

    [Test]
    public async Task A_received_message_its_sends_and_the_participants_rows_commit_together()
    {
        var input = NewQueue("in");
        var output = NewQueue("out");

        await HandleOneAsync(input, output, participantRefuses: false);

        Assert.That(await QueueLengthAsync(input), Is.Zero, "the received message is gone");
        Assert.That(await QueueLengthAsync(output), Is.EqualTo(1), "what it sent is there");
        Assert.That(await ParticipantRowsAsync(), Is.EqualTo(1), "the participant's row is there");
        Assert.That(participant.SawOpenTransaction, Is.True);
    }

    [Test]
    public async Task A_participant_refusing_the_commit_rolls_back_the_receive_and_the_sends()
    {
        var input = NewQueue("in");
        var output = NewQueue("out");

        Assert.ThrowsAsync<InvalidOperationException>(() => HandleOneAsync(input, output, participantRefuses: true));

        Assert.That(await QueueLengthAsync(input), Is.EqualTo(1), "the message is back in its queue");
        Assert.That(await QueueLengthAsync(output), Is.Zero, "nothing was sent");
        Assert.That(await ParticipantRowsAsync(), Is.Zero, "the participant's row is gone too");
    }

    [Test]
    public async Task A_handler_that_fails_until_dead_lettered_sends_nothing()
    {
        var input = NewQueue("failing");
        var output = NewQueue("failing-out");
        var errors = NewQueue("error");
        var attempts = 0;
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<string>(async (bus, context, _) =>
        {
            Interlocked.Increment(ref attempts);
            context.TransactionContext.Items[RecordingParticipant.NoteKey] = "handled";
            await bus.Advanced.Routing.Send(output, "sent before failing");
            throw new InvalidOperationException("the handler fails after sending");
        });
        using var bus = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseRouterPostgreSql(options, input))
            .Options(o => o.RetryStrategy(errors, maxDeliveryAttempts: 2))
            .Start();

        await bus.SendLocal("doomed");
        var deadLetter = await ReceiveWithinAsync(factory.Create(errors), Generous);

        Assert.That(deadLetter, Is.Not.Null, "Rebus moved the message to the error queue (acknowledged without committing)");
        Assert.That(Volatile.Read(ref attempts), Is.EqualTo(2));
        Assert.That(await QueueLengthAsync(input), Is.Zero);
        Assert.That(await QueueLengthAsync(output), Is.Zero, "no attempt's send may be committed");
        Assert.That(await ParticipantRowsAsync(), Is.Zero, "nor its state");
    }

    private sealed class RecordingParticipant(string table) : IPostgresTransactionParticipant
    {
        public const string RefuseKey = "test-participant-refuses";

        /// <summary>Like the router's state changes: only contexts that enlisted something get a row.</summary>
        public const string NoteKey = "test-participant-note";

        public string Table { get; } = table;

        public bool SawOpenTransaction { get; private set; }

        public async Task OnCommittingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ITransactionContext context,
            CancellationToken cancellationToken)
        {
            if (!context.Items.TryGetValue(NoteKey, out var note))
            {
                return;
            }
            SawOpenTransaction = transaction.Connection == connection;
            await using var insert = new NpgsqlCommand($"INSERT INTO {Table} (note) VALUES (@note)", connection, transaction);
            insert.Parameters.AddWithValue("note", (string)note);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (context.Items.TryGetValue(RefuseKey, out var refuse) && refuse is true)
            {
                throw new InvalidOperationException("the participant refuses the commit (an inbox race, a stale version…)");
            }
        }
    }
}
