using System.Globalization;
using Rebus.Messages;
using Router.Transport.RabbitMq.Deferral;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;

namespace Router.Transport.RabbitMq.Tests.Deferral;

[TestFixture]
public sealed class DeferralTests
{
    [TestCase(1, 100)]
    [TestCase(100, 100)]
    [TestCase(101, 200)]
    [TestCase(1_000, 1_000)]
    [TestCase(1_001, 2_000)]
    [TestCase(59_500, 60_000)]
    [TestCase(60_001, 60_416)]
    [TestCase(300_000, 303_104)]
    public void Delays_round_up_to_a_few_buckets_never_down(long delayMs, long bucketMs) =>
        Assert.That(DelayBuckets.RoundUp(TimeSpan.FromMilliseconds(delayMs)), Is.EqualTo(bucketMs));

    [Test]
    public void Delays_are_never_more_than_a_thirty_second_late_past_a_minute()
    {
        foreach (var seconds in new[] { 61, 90, 299, 3_601, 86_399, 1_000_000 })
        {
            var delay = TimeSpan.FromSeconds(seconds);
            var bucket = DelayBuckets.RoundUp(delay);
            Assert.That(bucket, Is.GreaterThanOrEqualTo((long)delay.TotalMilliseconds));
            Assert.That(bucket - delay.TotalMilliseconds, Is.LessThanOrEqualTo(delay.TotalMilliseconds / 32 + 1_000), $"{delay}");
        }
    }

    [Test]
    public async Task A_deferred_messages_time_to_be_received_counts_from_its_due_time_and_is_enforced()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            var queue = NewQueueName("deferred-ttl");
            var receiver = factory.CreateTransport(queue);
            var due = DateTimeOffset.Now.AddSeconds(1);
            TransportMessage Deferred(string text, string ttl) => New(text, new Dictionary<string, string>
            {
                [Headers.DeferredUntil] = due.ToString("O", CultureInfo.InvariantCulture),
                [Headers.DeferredRecipient] = queue,
                [Headers.TimeToBeReceived] = ttl,
            });
            await SendAsync(receiver, queue, Deferred("expires a second after it is due", "00:00:01"), Deferred("lives long", "00:10:00"));

            // Both are moved to the queue about a second from now; one of them expires a second later.
            await Task.Delay(TimeSpan.FromSeconds(4));
            var texts = new List<string>();
            while (await ReceiveWithinAsync(receiver, TimeSpan.FromSeconds(3)) is { } message)
            {
                texts.Add(TextOf(message));
            }

            Assert.That(texts, Is.EqualTo(new[] { "lives long" }));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }

    [Test]
    public async Task Deferring_to_a_queue_that_does_not_exist_fails_at_once_instead_of_vanishing_when_due()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            var client = factory.CreateOneWayClient();
            var missing = NewQueueName("missing");

            var failure = Assert.ThrowsAsync<RabbitMqPublishException>(() => SendAsync(client, missing, New("later", new Dictionary<string, string>
            {
                [Headers.DeferredUntil] = DateTimeOffset.Now.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture),
                [Headers.DeferredRecipient] = missing,
            })));

            Assert.That(failure!.Message, Does.Contain("there is no such queue"));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }
}
