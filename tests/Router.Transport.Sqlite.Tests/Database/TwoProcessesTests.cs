using System.Collections.Concurrent;
using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Sqlite.Tests.Support;
using static Router.Transport.Sqlite.Tests.Support.SqliteTestKit;

namespace Router.Transport.Sqlite.Tests.Database;

/// <summary>
/// Two SqliteDatabase objects on one file behave like two processes: separate writers (SQLite's file lock decides),
/// no shared in-process signals — they see each other by polling.
/// </summary>
public sealed class TwoProcessesTests
{
    private TestDatabaseFile file = null!;

    [SetUp]
    public void CreateDatabase() => file = new TestDatabaseFile();

    [TearDown]
    public async Task DeleteDatabase() => await file.DisposeAsync();

    [Test]
    public async Task Each_side_receives_what_the_other_sends()
    {
        var first = file.Open();
        var second = file.Open(synchronousFull: true);
        using var firstReceiver = NewTransport(first, "first");
        using var secondReceiver = NewTransport(second, "second");

        await SendAsync(firstReceiver, "second", Message("to the second"));
        await SendAsync(secondReceiver, "first", Message("to the first"));
        TransportMessage? atFirst = null, atSecond = null;
        var bothArrived = await EventuallyAsync(async () =>
            (atFirst ??= await ReceiveOnceAsync(firstReceiver)) is not null & (atSecond ??= await ReceiveOnceAsync(secondReceiver)) is not null);

        Assert.That(bothArrived, Is.True);
        Assert.That(TextOf(atFirst!), Is.EqualTo("to the first"));
        Assert.That(TextOf(atSecond!), Is.EqualTo("to the second"));
    }

    [Test]
    public async Task Competing_receivers_in_two_processes_receive_each_message_exactly_once()
    {
        const int count = 500;
        var databases = new[] { file.Open(), file.Open() };
        var receivers = databases.Select(database => NewTransport(database, "shared")).ToList();
        using var sender = NewTransport(databases[0], null);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
        {
            await SendAsync(sender, "shared", chunk.Select(i => Message($"m{i}")).ToArray());
        }

        var deliveries = new ConcurrentDictionary<string, int>();
        var received = 0;
        using var stop = new CancellationTokenSource(Generous);
        await Task.WhenAll(receivers.SelectMany(receiver => Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref received) < count && !stop.IsCancellationRequested)
            {
                using var scope = new RebusTransactionScope();
                if (await receiver.Receive(scope.TransactionContext, CancellationToken.None) is not { } message)
                {
                    await Task.Delay(10);
                    continue;
                }
                await scope.CompleteAsync();
                deliveries.AddOrUpdate(TextOf(message), 1, (_, n) => n + 1);
                Interlocked.Increment(ref received);
            }
        }))));
        foreach (var receiver in receivers)
        {
            receiver.Dispose();
        }

        Assert.That(deliveries, Has.Count.EqualTo(count));
        Assert.That(deliveries.Values.Distinct(), Is.EqualTo(new[] { 1 }));
    }
}
