using Rebus.Messages;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>Sending and receiving, and what an incomplete transaction must not do.</summary>
public abstract class SendReceiveContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    [Test]
    public async Task An_empty_queue_returns_null_without_blocking()
    {
        var transport = Factory.Create(NewQueueName("empty"));

        using var scope = new RebusTransactionScope();
        var receive = transport.Receive(scope.TransactionContext, CancellationToken.None);
        var first = await Task.WhenAny(receive, Task.Delay(Generous));

        Assert.That(first, Is.SameAs(receive), "Receive must come back (Rebus's back-off does the waiting)");
        Assert.That(await receive, Is.Null);
    }

    [Test]
    public async Task A_message_comes_through_with_its_headers_and_body()
    {
        var queue = NewQueueName("roundtrip");
        var receiver = Factory.Create(queue);
        var sent = NewMessage("hello, мир", new Dictionary<string, string> { ["custom-header"] = "value ✓" });

        await SendAsync(receiver, queue, sent);
        var received = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(received, Is.Not.Null);
        Assert.That(TextOf(received!), Is.EqualTo("hello, мир"));
        Assert.That(received!.Headers[Headers.MessageId], Is.EqualTo(sent.Headers[Headers.MessageId]));
        Assert.That(received.Headers["custom-header"], Is.EqualTo("value ✓"));
    }

    [Test]
    public async Task A_one_way_client_can_send_to_a_receiver()
    {
        var queue = NewQueueName("one-way");
        var receiver = Factory.Create(queue);
        var client = Factory.CreateOneWayClient();

        await SendAsync(client, queue, NewMessage("from a one-way client"));
        var received = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(client.Address, Is.Null);
        Assert.That(received, Is.Not.Null);
        Assert.That(TextOf(received!), Is.EqualTo("from a one-way client"));
    }

    [Test]
    public async Task Nothing_is_sent_when_the_transaction_does_not_complete()
    {
        var queue = NewQueueName("not-completed");
        var receiver = Factory.Create(queue);

        using (var scope = new RebusTransactionScope())
        {
            await receiver.Send(queue, NewMessage("never"), scope.TransactionContext);
            await receiver.Send(queue, NewMessage("never either"), scope.TransactionContext);
        }
        await SendAsync(receiver, queue, NewMessage("marker"));

        // The marker was sent after the abandoned scope; once it arrives, anything the scope had sent would be there too.
        var first = await ReceiveWithinAsync(receiver, Generous);
        var next = await ReceiveOnceAsync(receiver);

        Assert.That(first, Is.Not.Null);
        Assert.That(TextOf(first!), Is.EqualTo("marker"));
        Assert.That(next, Is.Null);
    }

    [Test]
    public async Task All_messages_of_a_completed_transaction_are_sent()
    {
        var queue = NewQueueName("batch");
        var receiver = Factory.Create(queue);

        await SendAsync(receiver, queue, Enumerable.Range(1, 25).Select(i => NewMessage($"m{i}")).ToArray());

        var texts = new List<string>();
        while (texts.Count < 25 && await ReceiveWithinAsync(receiver, Generous) is { } message)
        {
            texts.Add(TextOf(message));
        }
        Assert.That(texts, Is.EquivalentTo(Enumerable.Range(1, 25).Select(i => $"m{i}")));
    }
}
