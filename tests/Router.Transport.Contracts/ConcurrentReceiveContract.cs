using System.Collections.Concurrent;
using Rebus.Messages;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>Competing consumers: every message is received exactly once, however many receivers race for it.</summary>
public abstract class ConcurrentReceiveContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    private const int MessageCount = 2000;
    private const int Receivers = 3;
    private const int LoopsPerReceiver = 4;

    [Test]
    public async Task Each_of_many_messages_is_received_exactly_once_by_concurrent_receivers()
    {
        var queue = NewQueueName("many");
        var receivers = Enumerable.Range(0, Receivers).Select(_ => Factory.Create(queue)).ToList();
        var client = Factory.CreateOneWayClient();
        var sentIds = new List<string>();
        foreach (var chunk in Enumerable.Range(0, MessageCount).Chunk(100))
        {
            var messages = chunk.Select(i => NewMessage($"message {i}")).ToArray();
            sentIds.AddRange(messages.Select(m => m.Headers[Headers.MessageId]));
            await SendAsync(client, queue, messages);
        }

        var deliveries = new ConcurrentDictionary<string, int>();
        var received = 0;
        using var stop = new CancellationTokenSource(Generous);
        var loops = receivers.SelectMany(receiver => Enumerable.Range(0, LoopsPerReceiver).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref received) < MessageCount && !stop.IsCancellationRequested)
            {
                using var scope = new RebusTransactionScope();
                var message = await receiver.Receive(scope.TransactionContext, CancellationToken.None);
                if (message is null)
                {
                    await Task.Delay(10);
                    continue;
                }
                await scope.CompleteAsync();
                CountDelivery(deliveries, message.Headers[Headers.MessageId]);
                Interlocked.Increment(ref received);
            }
        }))).ToList();
        await Task.WhenAll(loops);

        Assert.That(deliveries.Keys, Is.EquivalentTo(sentIds), "every message sent is received");
        Assert.That(deliveries.Where(d => d.Value != 1).Select(d => $"{d.Key} x{d.Value}"), Is.Empty, "no message is received twice");
        foreach (var receiver in receivers)
        {
            Assert.That(await ReceiveOnceAsync(receiver), Is.Null);
        }
    }
}
