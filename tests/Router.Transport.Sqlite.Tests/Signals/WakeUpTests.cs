using System.Collections.Concurrent;
using Rebus.Activation;
using Rebus.Config;
using Rebus.Transport;
using Router.Transport.Common.Signals;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Signals;

/// <summary>
/// Receivers wake when something arrives instead of waiting out the poll. The poll interval here is ten minutes, so a
/// test that finishes at all was woken by the signal (or the due time), not by polling.
/// </summary>
public sealed class WakeUpTests
{
    private static readonly TimeSpan NeverPoll = TimeSpan.FromMinutes(10);

    private TestDatabaseFile file = null!;

    [SetUp]
    public void CreateDatabase() => file = new TestDatabaseFile();

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task A_no_message_wait_ends_when_a_message_is_sent_in_this_process()
    {
        using var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().PollInterval(NeverPoll));
        using var client = NewTransport(file.Database, null);
        var backoff = new SignalledBackoffStrategy(receiver);
        Assert.That(await ReceiveOnceAsync(receiver), Is.Null);

        var wait = backoff.WaitNoMessageAsync(CancellationToken.None);
        await SendAsync(client, "q", Message("wake up"));
        var first = await Task.WhenAny(wait, Task.Delay(Generous));

        Assert.That(first, Is.SameAs(wait), "the send must end the wait");
        Assert.That(await ReceiveOnceAsync(receiver), Is.Not.Null);
    }

    [Test]
    public async Task A_no_message_wait_that_starts_after_the_send_ends_at_once()
    {
        using var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().PollInterval(NeverPoll));
        using var client = NewTransport(file.Database, null);
        var backoff = new SignalledBackoffStrategy(receiver);
        Assert.That(await ReceiveOnceAsync(receiver), Is.Null);

        // The send lands between the empty receive and the start of the wait: the wait must not miss it.
        await SendAsync(client, "q", Message("already there"));
        var wait = backoff.WaitNoMessageAsync(CancellationToken.None);
        var first = await Task.WhenAny(wait, Task.Delay(Generous));

        Assert.That(first, Is.SameAs(wait));
    }

    [Test]
    public async Task A_no_message_wait_ends_when_a_deferred_message_becomes_due()
    {
        using var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().PollInterval(NeverPoll));
        var backoff = new SignalledBackoffStrategy(receiver);
        var dueAt = DateTimeOffset.Now.AddSeconds(2);
        await SendAsync(receiver, "q", Deferred("soon", dueAt));
        var early = await ReceiveOnceAsync(receiver);
        Assume.That(early, Is.Null, "the machine stalled past the due time: nothing left to wait for");

        var wait = backoff.WaitNoMessageAsync(CancellationToken.None);
        var first = await Task.WhenAny(wait, Task.Delay(Generous));

        Assert.That(first, Is.SameAs(wait), "the wait is bounded by the due time");
        Assert.That(await EventuallyAsync(async () => await ReceiveOnceAsync(receiver) is not null), Is.True);
    }

    [Test]
    public async Task A_no_message_wait_ends_when_the_bus_stops()
    {
        using var receiver = NewTransport(file.Database, "q", new SqliteTransportOptions().PollInterval(NeverPoll));
        var backoff = new SignalledBackoffStrategy(receiver);
        Assert.That(await ReceiveOnceAsync(receiver), Is.Null);
        using var stopping = new CancellationTokenSource();

        var wait = backoff.WaitNoMessageAsync(stopping.Token);
        await stopping.CancelAsync();
        var first = await Task.WhenAny(wait, Task.Delay(Generous));

        Assert.That(first, Is.SameAs(wait));
    }

    [Test]
    public async Task An_idle_bus_handles_messages_sent_in_this_process_without_polling()
    {
        var handled = new ConcurrentQueue<string>();
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<Note>(note =>
        {
            handled.Enqueue(note.Text);
            return Task.CompletedTask;
        });
        using var bus = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(file.Database, "q").PollInterval(NeverPoll))
            .Start();
        using var client = Configure.OneWayClient().Logging(l => l.None()).Transport(t => t.UseSqliteAsOneWayClient(file.Database)).Start();
        // Let every receive slot find the queue empty and settle into its wait.
        await Task.Delay(300);

        foreach (var text in new[] { "one", "two", "three" })
        {
            await client.Advanced.Routing.Send("q", new Note(text));
            Assert.That(await EventuallyAsync(() => handled.Contains(text)), Is.True, $"'{text}' was not handled");
        }
        await bus.Advanced.Routing.Send("q", new Note("deferred"), new Dictionary<string, string>
        {
            [Rebus.Messages.Headers.DeferredUntil] = DateTimeOffset.Now.AddSeconds(1).ToString("O"),
            [Rebus.Messages.Headers.DeferredRecipient] = "q",
        });
        Assert.That(await EventuallyAsync(() => handled.Contains("deferred")), Is.True);
    }

    private static Rebus.Messages.TransportMessage Deferred(string text, DateTimeOffset dueAt)
    {
        var message = Message(text);
        message.Headers[Rebus.Messages.Headers.DeferredUntil] = dueAt.ToString("O");
        message.Headers[Rebus.Messages.Headers.DeferredRecipient] = "q";
        return message;
    }

    public sealed record Note(string Text);
}
