using System.Globalization;
using Rebus.Messages;

namespace Router.Transport.Contracts;

/// <summary>Native deferral: a message with <c>rbs2-deferred-until</c> is held until due, then received once, as a plain message.</summary>
public abstract class DeferralContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    [Test]
    public async Task A_deferred_message_is_not_received_before_it_is_due_and_is_received_after()
    {
        if (!Factory.SupportsNativeDeferral)
        {
            Assert.Ignore("this transport has no native deferral");
        }
        var queue = NewQueueName("deferred");
        var receiver = Factory.Create(queue);
        var dueAt = DateTimeOffset.Now.AddSeconds(3);
        await SendAsync(receiver, queue, NewMessage("later", new Dictionary<string, string>
        {
            [Headers.DeferredUntil] = dueAt.ToString("O", CultureInfo.InvariantCulture),
            [Headers.DeferredRecipient] = queue,
        }));

        var early = await ReceiveOnceAsync(receiver);
        var receivedEarly = DateTimeOffset.Now < dueAt ? early : null;
        var due = await ReceiveWithinAsync(receiver, Generous);
        var receivedAt = DateTimeOffset.Now;

        Assert.That(receivedEarly, Is.Null, "received before it was due");
        Assert.That(due, Is.Not.Null);
        Assert.That(receivedAt, Is.GreaterThanOrEqualTo(dueAt));
        Assert.That(due!.Headers.ContainsKey(Headers.DeferredUntil), Is.False, "a due message must not look deferred again");
        Assert.That(await ReceiveOnceAsync(receiver), Is.Null);
    }

    [Test]
    public async Task A_deferred_message_goes_to_its_recipient_not_to_the_address_it_was_sent_to()
    {
        if (!Factory.SupportsNativeDeferral)
        {
            Assert.Ignore("this transport has no native deferral");
        }
        var timeoutManagerQueue = NewQueueName("timeouts");
        var recipientQueue = NewQueueName("recipient");
        var timeoutManager = Factory.Create(timeoutManagerQueue);
        var recipient = Factory.Create(recipientQueue);
        await SendAsync(timeoutManager, timeoutManagerQueue, NewMessage("for the recipient", new Dictionary<string, string>
        {
            [Headers.DeferredUntil] = DateTimeOffset.Now.AddMilliseconds(200).ToString("O", CultureInfo.InvariantCulture),
            [Headers.DeferredRecipient] = recipientQueue,
        }));

        var received = await ReceiveWithinAsync(recipient, Generous);

        Assert.That(received, Is.Not.Null);
        Assert.That(TextOf(received!), Is.EqualTo("for the recipient"));
        Assert.That(await ReceiveOnceAsync(timeoutManager), Is.Null);
    }
}
