using Rebus.Messages;

namespace Router.Transport.Contracts;

/// <summary><c>rbs2-time-to-be-received</c>: an expired message is never received; one not yet expired is.</summary>
public abstract class ExpiryContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    [Test]
    public async Task An_expired_message_is_not_received()
    {
        var queue = NewQueueName("expired");
        var receiver = Factory.Create(queue);
        await SendAsync(receiver, queue, NewMessage("stale", new Dictionary<string, string> { [Headers.TimeToBeReceived] = "00:00:01" }));

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.That(await ReceiveOnceAsync(receiver), Is.Null);
    }

    [Test]
    public async Task An_almost_expired_message_is_received()
    {
        var queue = NewQueueName("almost-expired");
        var receiver = Factory.Create(queue);
        await SendAsync(receiver, queue, NewMessage("still fresh", new Dictionary<string, string> { [Headers.TimeToBeReceived] = "00:01:00" }));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var received = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(received, Is.Not.Null);
        Assert.That(TextOf(received!), Is.EqualTo("still fresh"));
    }

    [Test]
    public async Task Expired_and_unexpired_messages_are_told_apart_in_one_queue()
    {
        var queue = NewQueueName("mixed-expiry");
        var receiver = Factory.Create(queue);
        await SendAsync(receiver, queue,
            NewMessage("stale", new Dictionary<string, string> { [Headers.TimeToBeReceived] = "00:00:01" }),
            NewMessage("fresh", new Dictionary<string, string> { [Headers.TimeToBeReceived] = "00:10:00" }),
            NewMessage("forever"));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var texts = new List<string>();
        while (await ReceiveOnceAsync(receiver) is { } message)
        {
            texts.Add(TextOf(message));
        }

        Assert.That(texts, Is.EquivalentTo(new[] { "fresh", "forever" }));
    }
}
