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
