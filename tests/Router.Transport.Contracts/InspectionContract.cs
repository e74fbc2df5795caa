using System.Globalization;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary><see cref="ITransportInspector"/>'s queue length follows what is sent and completed.</summary>
public abstract class InspectionContract<TFactory> : TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    [Test]
    public async Task The_queue_length_counts_messages_until_they_are_completed()
    {
        var queue = NewQueueName("length");
        var receiver = Factory.Create(queue);
        var inspector = receiver as ITransportInspector;
        Assert.That(inspector, Is.Not.Null, "the transport must implement ITransportInspector");

        var initially = await QueueLengthAsync(inspector!);
        await SendAsync(receiver, queue, NewMessage("1"), NewMessage("2"), NewMessage("3"));
        var afterSending = await EventuallyAsync(async () => await QueueLengthAsync(inspector!) == 3, Generous);
        while (await ReceiveWithinAsync(receiver, TimeSpan.FromSeconds(5)) is not null)
        {
        }
        var afterCompleting = await EventuallyAsync(async () => await QueueLengthAsync(inspector!) == 0, Generous);

        Assert.That(initially, Is.Zero);
        Assert.That(afterSending, Is.True, "three sent, three in the queue");
        Assert.That(afterCompleting, Is.True, "all completed, none in the queue");
    }

    private static async Task<long> QueueLengthAsync(ITransportInspector inspector)
    {
        var properties = await inspector.GetProperties(CancellationToken.None);
        return Convert.ToInt64(properties[TransportInspectorPropertyKeys.QueueLength], CultureInfo.InvariantCulture);
    }
}
