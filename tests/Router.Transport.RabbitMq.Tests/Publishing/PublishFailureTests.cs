using Rebus.Transport;
using Router.Testing;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;

namespace Router.Transport.RabbitMq.Tests.Publishing;

/// <summary>What the broker does not accept is a failed commit, never a send: nacks, returns and missing confirms.</summary>
[TestFixture]
public sealed class PublishFailureTests
{
    [Test]
    public async Task A_send_to_a_queue_that_does_not_exist_fails_the_commit()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            var client = factory.CreateOneWayClient();

            var failure = Assert.ThrowsAsync<RabbitMqPublishException>(() => SendAsync(client, NewQueueName("nowhere"), New("lost?")));

            Assert.That(failure!.Message, Does.Contain("returned as unroutable"));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    [Test]
    public async Task A_nacked_publish_fails_the_commit_and_the_received_message_comes_again()
    {
        var factory = new ClassicQueueFactory();
        try
        {
            var input = NewQueueName("nack-input");
            var full = NewQueueName("nack-full");
            var receiver = factory.CreateTransport(input);
            // A queue that refuses (nacks) publishes beyond one message.
            var fullQueue = factory.CreateTransport(full, o => o.QueueArgument("x-max-length", 1).QueueArgument("x-overflow", "reject-publish"));
            await SendAsync(receiver, full, New("fills the queue"));
            await SendAsync(receiver, input, New("input"));

            Exception? failure = null;
            using (var scope = new RebusTransactionScope())
            {
                var received = await ReceiveUntilAsync(receiver, scope.TransactionContext);
                Assert.That(received, Is.Not.Null);
                await receiver.Send(full, New("refused"), scope.TransactionContext);
                try
                {
                    await scope.CompleteAsync();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }
            var again = await ReceiveWithinAsync(receiver, Generous);

            Assert.That(failure, Is.InstanceOf<RabbitMqPublishException>());
            Assert.That(failure!.Message, Does.Contain("refused by the broker (nack)"));
            Assert.That(again, Is.Not.Null, "the received message was not acknowledged, so it comes again");
            Assert.That(TextOf(again!), Is.EqualTo("input"));
            Assert.That(TextOf((await ReceiveWithinAsync(fullQueue, Generous))!), Is.EqualTo("fills the queue"));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    [Test]
    public async Task A_confirm_that_never_comes_fails_the_commit_after_the_confirm_timeout()
    {
        var factory = new DisturbingQuorumFactory();
        try
        {
            var queue = NewQueueName("alarm");
            var receiver = factory.CreateTransport(queue);
            var client = factory.CreateTransport(null, o => o.ConfirmTimeout(TimeSpan.FromSeconds(2)));
            await SendAsync(client, queue, New("before the alarm"));

            Exception? failure;
            // A memory alarm blocks every publishing connection: the broker stops reading, so no confirm comes.
            await RabbitMqBroker.CtlAsync("set_vm_memory_high_watermark", "0");
            try
            {
                failure = await CatchAsync(() => SendAsync(client, queue, New("during the alarm")));
            }
            finally
            {
                await RabbitMqBroker.CtlAsync("set_vm_memory_high_watermark", "0.4");
            }
            var first = await ReceiveWithinAsync(receiver, Generous);
            // The blocked publish may still reach the queue once the alarm clears: then it is a duplicate that the
            // sender's retry would add to, never a loss — the commit reported failure either way.
            await SendAsync(client, queue, New("after the alarm"));
            var later = new List<string>();
            while (await ReceiveWithinAsync(receiver, TimeSpan.FromSeconds(5)) is { } message)
            {
                later.Add(TextOf(message));
            }

            Assert.That(failure, Is.InstanceOf<RabbitMqPublishException>());
            Assert.That(failure!.Message, Does.Contain("not confirmed within 2 s"));
            Assert.That(TextOf(first!), Is.EqualTo("before the alarm"));
            Assert.That(later, Does.Contain("after the alarm"), "publishing works again once the alarm is gone");
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    private static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static async Task<Rebus.Messages.TransportMessage?> ReceiveUntilAsync(ITransport receiver, ITransactionContext context)
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
