using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.RabbitMq;
using Router.Endpoints.Tests.Support;
using Router.Testing;

namespace Router.Endpoints.Tests.RabbitMq;

/// <summary>The rabbitmq endpoint against the test broker: a source's plain-JSON queue in, confirmed events out.</summary>
[TestFixture]
public sealed class RabbitMqEndpointTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private IDisposable brokerLock = null!;
    private string url = null!;
    private IConnection connection = null!;
    private IChannel channel = null!;
    private readonly List<string> queues = [];
    private readonly List<IDisposable> endpoints = [];

    [SetUp]
    public async Task ConnectAsync()
    {
        url = RabbitMqBroker.Url;
        brokerLock = await RabbitMqBroker.ShareAsync();
        connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        channel = await connection.CreateChannelAsync();
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        foreach (var endpoint in endpoints)
        {
            endpoint.Dispose();
        }
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
        }
        await channel.DisposeAsync();
        await connection.DisposeAsync();
        brokerLock.Dispose();
    }

    [Test]
    public async Task Inbound_maps_amqp_properties_hands_off_and_acks_only_then()
    {
        var queue = await DeclareQueueAsync("source");
        await PublishAsync(queue, """{"number":"1001"}""", new BasicProperties
        {
            MessageId = "erp-1001",
            Type = "order.created",
            CorrelationId = "corr-7",
            Timestamp = new AmqpTimestamp(1_767_225_600),
            Headers = new Dictionary<string, object?> { ["tenant"] = Encoding.UTF8.GetBytes("shop-1") },
        });
        var endpoint = Inbound(queue);
        var sink = new RecordingSink();

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        var message = sink.Messages.Single();
        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(message.MessageId, Is.EqualTo("erp-1001"));
        Assert.That(message.Type, Is.EqualTo("order.created"));
        Assert.That(message.CorrelationId, Is.EqualTo("corr-7"));
        Assert.That(message.OccurredAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_767_225_600)));
        Assert.That(message.Headers["tenant"], Is.EqualTo("shop-1"));
        Assert.That(message.Payload.GetProperty("number").GetString(), Is.EqualTo("1001"));
        Assert.That(await CountAsync(queue), Is.Zero, "acknowledged after the hand-off");
    }

    [Test]
    public async Task Inbound_leaves_messages_in_the_queue_when_the_hand_off_fails()
    {
        var queue = await DeclareQueueAsync("source-failing");
        await PublishAsync(queue, """{"n":1}""", new BasicProperties { MessageId = "a" });
        await PublishAsync(queue, """{"n":2}""", new BasicProperties { MessageId = "b" });
        var endpoint = Inbound(queue);
        var failing = new RecordingSink { HandOffFailure = new IOException("the router's database is gone") };

        Assert.ThrowsAsync<IOException>(() => endpoint.PollAsync(failing, null, CancellationToken.None));
        var working = new RecordingSink();
        var result = await endpoint.PollAsync(working, null, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(2), "nothing was acknowledged before the hand-off succeeded");
        Assert.That(working.Messages.Select(m => m.MessageId), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Inbound_journals_and_dead_letters_malformed_json_and_messages_without_an_id()
    {
        var deadLetters = await DeclareQueueAsync("source-dlq");
        var exchange = $"rmq-endpoint-dlx-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: false, autoDelete: true);
        await channel.QueueBindAsync(deadLetters, exchange, "");
        var queue = await DeclareQueueAsync("source-dlx", new Dictionary<string, object?> { ["x-dead-letter-exchange"] = exchange });
        await PublishAsync(queue, """{"number": 1002,""", new BasicProperties { MessageId = "broken-1" });
        await PublishAsync(queue, """{"number":1003}""", new BasicProperties());
        await PublishAsync(queue, """{"number":1004}""", new BasicProperties { MessageId = "good-1" });
        var endpoint = Inbound(queue, (RabbitMqOptionKeys.DeadLetterExchange, exchange));
        var sink = new RecordingSink();

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(result.Rejected, Is.EqualTo(2));
        Assert.That(sink.Messages.Single().MessageId, Is.EqualTo("good-1"));
        Assert.That(sink.Rejections.Select(r => r.MessageId), Has.Member("broken-1"));
        Assert.That(sink.Rejections.Select(r => r.Error), Has.Some.Contains("malformed JSON"));
        Assert.That(sink.Rejections.Select(r => r.Error), Has.Some.Contains("no message_id"));
        Assert.That(await CountAsync(queue), Is.Zero);
        Assert.That(await EventuallyCountAsync(deadLetters, 2), Is.True, "both rejected messages are kept by the queue's dead-letter exchange");
    }

    [Test]
    public async Task Inbound_rejects_what_the_router_rejects_into_the_dead_letter_exchange()
    {
        var deadLetters = await DeclareQueueAsync("refused-dlq");
        var exchange = $"rmq-endpoint-dlx-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: false, autoDelete: true);
        await channel.QueueBindAsync(deadLetters, exchange, "");
        var queue = await DeclareQueueAsync("refused", new Dictionary<string, object?> { ["x-dead-letter-exchange"] = exchange });
        await PublishAsync(queue, """{"x":1}""", new BasicProperties { MessageId = "unknown-type" });
        var endpoint = Inbound(queue);
        var sink = new RecordingSink { Answer = _ => new HandOffResult(HandOffStatus.Rejected, "unknown message type 'x'") };

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(result.Rejected, Is.EqualTo(1));
        Assert.That(sink.Rejections.Single().Error, Does.Contain("unknown message type"));
        Assert.That(await EventuallyCountAsync(deadLetters, 1), Is.True);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Push_consumer_acks_only_after_the_hand_off_so_a_host_that_dies_in_between_gets_them_back()
    {
        var queue = await DeclareQueueAsync("push-ack");
        for (var i = 1; i <= 5; i++)
        {
            await PublishAsync(queue, $$"""{"n":{{i}}}""", new BasicProperties { MessageId = $"m-{i}" });
        }
        var dying = Inbound(queue, (RabbitMqOptionKeys.Batch, 5), (RabbitMqOptionKeys.Linger, "50ms"));
        var held = new HoldingSink();
        using var stop = new CancellationTokenSource();
        var consuming = dying.RunAsync(held, stop.Token);

        var batch = await held.Entered.Task.WaitAsync(Generous);
        var readyWhileHeld = await CountAsync(queue);
        // The host dies inside the hand-off: no ack was sent, its connection goes.
        await stop.CancelAsync();
        dying.Dispose();
        held.Release(new IOException("the host died"));
        await consuming.WaitAsync(Generous);
        var returned = await EventuallyCountAsync(queue, 5);
        var survivor = Inbound(queue);
        var sink = new RecordingSink();
        var result = await survivor.PollAsync(sink, null, CancellationToken.None);

        Assert.That(batch.Select(m => m.MessageId), Is.EquivalentTo(new[] { "m-1", "m-2", "m-3", "m-4", "m-5" }), "one batch of 5");
        Assert.That(readyWhileHeld, Is.Zero, "delivered to the consumer, not yet acknowledged");
        Assert.That(returned, Is.True, "the broker put the unacknowledged batch back");
        Assert.That(result.Accepted, Is.EqualTo(5));
        Assert.That(sink.Messages.Select(m => m.MessageId), Is.EquivalentTo(batch.Select(m => m.MessageId)));
        Assert.That(await CountAsync(queue), Is.Zero, "acknowledged after the second hand-off");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Push_consumer_hands_off_what_arrives_while_it_runs_and_dead_letters_what_it_cannot_read()
    {
        var deadLetters = await DeclareQueueAsync("push-dlq");
        var exchange = $"rmq-endpoint-dlx-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: false, autoDelete: true);
        await channel.QueueBindAsync(deadLetters, exchange, "");
        var queue = await DeclareQueueAsync("push-dlx", new Dictionary<string, object?> { ["x-dead-letter-exchange"] = exchange });
        var endpoint = Inbound(queue, (RabbitMqOptionKeys.DeadLetterExchange, exchange), (RabbitMqOptionKeys.Batch, 3));
        var sink = new HoldingSink();
        sink.Release(null);
        using var stop = new CancellationTokenSource();
        var consuming = endpoint.RunAsync(sink, stop.Token);

        for (var i = 1; i <= 7; i++)
        {
            await PublishAsync(queue, $$"""{"n":{{i}}}""", new BasicProperties { MessageId = $"good-{i}" });
        }
        await PublishAsync(queue, """{"n": 8,""", new BasicProperties { MessageId = "broken-8" });
        await PublishAsync(queue, """{"n":9}""", new BasicProperties());
        var allKept = await EventuallyCountAsync(deadLetters, 2);
        var allTaken = await EventuallyAsync(() => sink.MessageIds.Count == 7 && sink.Rejections.Count == 2);
        await stop.CancelAsync();
        await consuming.WaitAsync(Generous);

        Assert.That(allKept, Is.True, "both unreadable messages are kept by the queue's dead-letter exchange");
        Assert.That(allTaken, Is.True, $"handed off {sink.MessageIds.Count} of 7, rejected {sink.Rejections.Count} of 2");
        Assert.That(sink.MessageIds, Is.EquivalentTo(Enumerable.Range(1, 7).Select(i => $"good-{i}")));
        Assert.That(sink.BatchSizes, Has.All.InRange(1, 3), "no batch larger than 'batch'");
        Assert.That(sink.Rejections.Select(r => r.MessageId), Has.Member("broken-8"));
        Assert.That(sink.Rejections.Select(r => r.Error), Has.Some.Contains("malformed JSON"));
        Assert.That(sink.Rejections.Select(r => r.Error), Has.Some.Contains("no message_id"));
        Assert.That(await CountAsync(queue), Is.Zero, "everything acknowledged or dead-lettered");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Push_consumer_returns_a_batch_whose_hand_off_failed_and_takes_it_again()
    {
        var queue = await DeclareQueueAsync("push-retry");
        await PublishAsync(queue, """{"n":1}""", new BasicProperties { MessageId = "a" });
        await PublishAsync(queue, """{"n":2}""", new BasicProperties { MessageId = "b" });
        var endpoint = Inbound(queue);
        var sink = new HoldingSink { FailuresLeft = 1 };
        sink.Release(null);
        using var stop = new CancellationTokenSource();
        var consuming = endpoint.RunAsync(sink, stop.Token);

        var taken = await EventuallyAsync(() => sink.MessageIds.Count >= 2);
        await stop.CancelAsync();
        await consuming.WaitAsync(Generous);

        Assert.That(sink.Failures, Is.EqualTo(1), "the first hand-off failed");
        Assert.That(taken, Is.True, "the consumer started over and handed the messages off");
        Assert.That(sink.MessageIds, Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(await CountAsync(queue), Is.Zero);
    }

    [Test]
    public async Task Outbound_publishes_a_persistent_confirmed_event_keyed_by_the_idempotency_key()
    {
        var exchange = $"rmq-endpoint-events-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: false, autoDelete: true);
        var subscriber = await DeclareQueueAsync("subscriber");
        await channel.QueueBindAsync(subscriber, exchange, "order.#");
        var endpoint = Outbound((RabbitMqOptionKeys.Exchange, exchange), (RabbitMqOptionKeys.RoutingKeyExpression, "'order.' + $.status"));
        var envelope = Envelope("paid");
        var context = new DeliveryContext { RouteId = "r", EndpointId = "events", IdempotencyKey = "key-1" };

        var plan = endpoint.Plan(envelope, context);
        await endpoint.DeliverAsync(plan, context, CancellationToken.None);
        var published = await GetAsync(subscriber);

        Assert.That(plan.Target, Does.Not.Contain(new Uri(url).UserInfo.Split(':')[1]), "the password is never shown");
        Assert.That(plan.Headers[RabbitMqOutboundEndpoint.RoutingKeyKey], Is.EqualTo("order.paid"));
        Assert.That(published, Is.Not.Null);
        Assert.That(published!.RoutingKey, Is.EqualTo("order.paid"));
        Assert.That(published.BasicProperties.MessageId, Is.EqualTo("key-1"));
        Assert.That(published.BasicProperties.Persistent, Is.True);
        Assert.That(published.BasicProperties.Type, Is.EqualTo("order.status-changed"));
        Assert.That(Encoding.UTF8.GetString((byte[])published.BasicProperties.Headers!["router-message-id"]!), Is.EqualTo("m-1"));
        Assert.That(JsonDocument.Parse(published.Body).RootElement.GetProperty("status").GetString(), Is.EqualTo("paid"));
    }

    [Test]
    public async Task Outbound_fails_a_publish_nobody_can_receive()
    {
        var exchange = $"rmq-endpoint-empty-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Direct, durable: false, autoDelete: false);
        try
        {
            var endpoint = Outbound((RabbitMqOptionKeys.Exchange, exchange), (RabbitMqOptionKeys.RoutingKey, "nobody"));
            var context = new DeliveryContext { RouteId = "r", EndpointId = "events", IdempotencyKey = "key-2" };

            var failure = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(Envelope("new"), context), context, CancellationToken.None));

            Assert.That(failure!.Message, Does.Contain("no queue bound for routing key 'nobody'"));
        }
        finally
        {
            await channel.ExchangeDeleteAsync(exchange);
        }
    }

    private RabbitMqInboundEndpoint Inbound(string queue, params (string Key, object? Value)[] extra)
    {
        var options = Yaml.Map([(RabbitMqOptionKeys.Connection, new Secret(url)), (RabbitMqOptionKeys.Queue, queue), .. extra]);
        var endpoint = new RabbitMqInboundEndpoint("source", RabbitMqEndpointOptions.Read(options), TestServices.For(new System.IO.Abstractions.FileSystem()), idFromExpression: false);
        endpoints.Add(endpoint);
        return endpoint;
    }

    private RabbitMqOutboundEndpoint Outbound(params (string Key, object? Value)[] extra)
    {
        var options = Yaml.Map([(RabbitMqOptionKeys.Connection, new Secret(url)), .. extra]);
        var endpoint = new RabbitMqOutboundEndpoint("events", RabbitMqEndpointOptions.Read(options), TestServices.For(new System.IO.Abstractions.FileSystem()));
        endpoints.Add(endpoint);
        return endpoint;
    }

    private static Envelope Envelope(string status) => new()
    {
        MessageId = "m-1",
        Type = "order.status-changed",
        Source = "test",
        OccurredAt = DateTimeOffset.UtcNow,
        Payload = JsonDocument.Parse($$"""{"number":"1001","status":"{{status}}"}""").RootElement.Clone(),
    };

    private async Task<string> DeclareQueueAsync(string purpose, IDictionary<string, object?>? arguments = null)
    {
        var queue = $"rmq-endpoint-{purpose}-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
        queues.Add(queue);
        return queue;
    }

    private async Task PublishAsync(string queue, string json, BasicProperties properties)
    {
        await using var confirming = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await confirming.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(json));
    }

    private async Task<uint> CountAsync(string queue) => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    private async Task<bool> EventuallyCountAsync(string queue, uint expected)
    {
        var deadline = DateTimeOffset.UtcNow + Generous;
        while (await CountAsync(queue) != expected)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow + Generous;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>A thread-safe sink for a consumer that runs beside the test; it can hold hand-offs and fail some.</summary>
    private sealed class HoldingSink : IInboundSink
    {
        private readonly object gate = new();
        private readonly List<string> messageIds = [];
        private readonly List<int> batchSizes = [];
        private readonly List<RecordedRejection> rejections = [];
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<IReadOnlyList<InboundMessage>> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int FailuresLeft { get; set; }

        public int Failures { get; private set; }

        public IReadOnlyList<string> MessageIds { get { lock (gate) { return messageIds.ToList(); } } }

        public IReadOnlyList<int> BatchSizes { get { lock (gate) { return batchSizes.ToList(); } } }

        public IReadOnlyList<RecordedRejection> Rejections { get { lock (gate) { return rejections.ToList(); } } }

        /// <summary>Lets held and later hand-offs go on: with null they succeed, with an exception they fail.</summary>
        public void Release(Exception? failure)
        {
            if (failure is null)
            {
                released.TrySetResult();
            }
            else
            {
                released.TrySetException(failure);
            }
        }

        public async Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
        {
            Entered.TrySetResult(messages);
            await released.Task;
            lock (gate)
            {
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    Failures++;
                    throw new IOException("the router's database is gone for a moment");
                }
                messageIds.AddRange(messages.Select(m => m.MessageId!));
                batchSizes.Add(messages.Count);
            }
            return messages.Select(_ => new HandOffResult(HandOffStatus.Accepted)).ToList();
        }

        public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                rejections.Add(new RecordedRejection(endpointId, origin, messageId, error));
            }
            return Task.CompletedTask;
        }
    }

    private async Task<BasicGetResult?> GetAsync(string queue)
    {
        var deadline = DateTimeOffset.UtcNow + Generous;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
            {
                return result;
            }
            await Task.Delay(50);
        }
        return null;
    }
}
