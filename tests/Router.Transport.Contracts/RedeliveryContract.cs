using Rebus.Messages;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>A message that was not completed comes back: after a rollback at once, after a crash once its lease lapses.</summary>
public abstract class RedeliveryContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    [Test]
    public async Task A_rolled_back_receive_returns_the_message_once_then_completing_it_empties_the_queue()
    {
        var queue = NewQueueName("rollback");
        var receiver = Factory.Create(queue);
        var sent = NewMessage("try me twice");
        await SendAsync(receiver, queue, sent);

        await ReceiveAndRollBackAsync(receiver, sent);
        var again = await ReceiveWithinAsync(receiver, Generous);
        var after = await ReceiveOnceAsync(receiver);

        Assert.That(again, Is.Not.Null, "the rolled-back message must come back");
        Assert.That(again!.Headers[Headers.MessageId], Is.EqualTo(sent.Headers[Headers.MessageId]));
        Assert.That(after, Is.Null, "completed means gone");
    }

    [Test]
    public async Task Messages_sent_while_handling_a_rolled_back_message_are_not_sent()
    {
        var queue = NewQueueName("rollback-sends");
        var output = NewQueueName("rollback-output");
        var receiver = Factory.Create(queue);
        var outputReceiver = Factory.Create(output);
        await SendAsync(receiver, queue, NewMessage("input"));

        using (var scope = new RebusTransactionScope())
        {
            var received = await ReceiveUntilAsync(receiver, scope.TransactionContext);
            Assert.That(received, Is.Not.Null);
            await receiver.Send(output, NewMessage("output 1"), scope.TransactionContext);
            await receiver.Send(output, NewMessage("output 2"), scope.TransactionContext);
        }
        var redelivered = await ReceiveWithinAsync(receiver, Generous);
        await SendAsync(receiver, output, NewMessage("marker"));
        var firstOutput = await ReceiveWithinAsync(outputReceiver, Generous);
        var nextOutput = await ReceiveOnceAsync(outputReceiver);

        Assert.That(redelivered, Is.Not.Null);
        Assert.That(TextOf(firstOutput!), Is.EqualTo("marker"));
        Assert.That(nextOutput, Is.Null);
    }

    [Test]
    public async Task The_delivery_count_grows_with_each_delivery()
    {
        if (!Factory.SupportsDeliveryCount)
        {
            Assert.Ignore("this transport does not count deliveries");
        }
        var queue = NewQueueName("delivery-count");
        var receiver = Factory.Create(queue);
        var sent = NewMessage("counted");
        await SendAsync(receiver, queue, sent);

        var first = await ReceiveAndRollBackAsync(receiver, sent);
        var second = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(first.Headers[Headers.DeliveryCount], Is.EqualTo("1"));
        Assert.That(second!.Headers[Headers.DeliveryCount], Is.EqualTo("2"));
    }

    [Test]
    public async Task A_crashed_receivers_message_is_received_by_another_receiver()
    {
        var queue = NewQueueName("crash");
        var crashing = Factory.Create(queue);
        var survivor = Factory.Create(queue);
        var sent = NewMessage("in flight when the host died");
        await SendAsync(crashing, queue, sent);

        // The crashing receiver takes the message and never completes, rolls back or disposes its transaction;
        // then its transport goes away as a dying process's would.
        var abandoned = new RebusTransactionScope();
        var taken = await ReceiveUntilAsync(crashing, abandoned.TransactionContext);
        Assert.That(taken, Is.Not.Null);
        ((IDisposable)crashing).Dispose();

        var recovered = await ReceiveWithinAsync(survivor, Generous);

        Assert.That(recovered, Is.Not.Null, "the message must come back when the crashed receiver's hold on it lapses");
        Assert.That(recovered!.Headers[Headers.MessageId], Is.EqualTo(sent.Headers[Headers.MessageId]));
        Assert.That(await ReceiveOnceAsync(survivor), Is.Null);
        try
        {
            abandoned.Dispose();
        }
        catch (Exception)
        {
            // The dead receiver's late rollback may fail on a closed connection; it must not matter.
        }
    }

    private static async Task<TransportMessage> ReceiveAndRollBackAsync(ITransport receiver, TransportMessage expected)
    {
        using var scope = new RebusTransactionScope();
        var received = await ReceiveUntilAsync(receiver, scope.TransactionContext);
        Assert.That(received, Is.Not.Null);
        Assert.That(received!.Headers[Headers.MessageId], Is.EqualTo(expected.Headers[Headers.MessageId]));
        return received;
    }

    /// <summary>Receives into the given transaction, looking again until something comes; does not complete it.</summary>
    private static async Task<TransportMessage?> ReceiveUntilAsync(ITransport receiver, ITransactionContext context)
    {
        var deadline = DateTimeOffset.UtcNow + Generous;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await receiver.Receive(context, CancellationToken.None) is { } message)
            {
                return message;
            }
            await Task.Delay(20);
        }
        return null;
    }
}
