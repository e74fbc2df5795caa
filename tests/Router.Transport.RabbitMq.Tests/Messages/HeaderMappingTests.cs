using System.Text;
using RabbitMQ.Client;
using Rebus.Messages;
using Router.Transport.RabbitMq.Tests.Support;
using static Router.Transport.RabbitMq.Tests.Support.TestMessages;
using Headers = Rebus.Messages.Headers;

namespace Router.Transport.RabbitMq.Tests.Messages;

/// <summary>Rebus headers become AMQP properties where AMQP has them (so other tools see them), and come back unchanged.</summary>
[TestFixture]
public sealed class HeaderMappingTests
{
    private RabbitMqTransportFactory factory = null!;

    [SetUp]
    public void CreateFactory() => factory = new QuorumQueueFactory();

    [TearDown]
    public Task CleanUp() => factory.CleanUpAsync();

    [Test]
    public async Task Rebus_headers_are_amqp_properties_on_the_wire()
    {
        var queue = NewQueueName("wire");
        factory.CreateTransport(queue);
        var client = factory.CreateOneWayClient();
        var sent = New("{}", new Dictionary<string, string>
        {
            [Headers.CorrelationId] = "corr-1",
            [Headers.ContentType] = "application/json;charset=utf-8",
            [Headers.Type] = "order.created",
            [Headers.TimeToBeReceived] = "00:10:00",
            [Headers.SentTime] = "2026-01-02T03:04:05.0000000+00:00",
            ["custom"] = "значение",
        });

        await SendAsync(client, queue, sent);
        var raw = await GetRawAsync(queue);

        Assert.That(raw, Is.Not.Null);
        var properties = raw!.BasicProperties;
        Assert.That(properties.MessageId, Is.EqualTo(sent.Headers[Headers.MessageId]));
        Assert.That(properties.CorrelationId, Is.EqualTo("corr-1"));
        Assert.That(properties.ContentType, Is.EqualTo("application/json;charset=utf-8"));
        Assert.That(properties.Type, Is.EqualTo("order.created"));
        Assert.That(properties.Expiration, Is.EqualTo("600000"));
        Assert.That(properties.Timestamp.UnixTime, Is.EqualTo(DateTimeOffset.Parse("2026-01-02T03:04:05Z").ToUnixTimeSeconds()));
        Assert.That(properties.Persistent, Is.True);
        Assert.That(Encoding.UTF8.GetString((byte[])properties.Headers!["custom"]!), Is.EqualTo("значение"));
        Assert.That(properties.Headers.ContainsKey(Headers.MessageId), Is.False, "the message id travels as the AMQP property");
    }

    [Test]
    public async Task Headers_come_back_as_they_were_sent_with_a_delivery_count()
    {
        var queue = NewQueueName("roundtrip");
        var receiver = factory.CreateTransport(queue);
        var headers = new Dictionary<string, string>
        {
            [Headers.CorrelationId] = "corr-2",
            [Headers.ContentType] = "text/plain",
            [Headers.ContentEncoding] = "gzip",
            [Headers.Type] = "payment.status-changed",
            [Headers.TimeToBeReceived] = "00:10:00",
            [Headers.Intent] = Headers.IntentOptions.PointToPoint,
            ["custom"] = "value ✓",
        };
        var sent = New("body", headers);

        await SendAsync(receiver, queue, sent);
        var received = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(received, Is.Not.Null);
        var expected = new Dictionary<string, string>(sent.Headers) { [Headers.DeliveryCount] = "1" };
        Assert.That(received!.Headers, Is.EquivalentTo(expected), "nothing added (but the delivery count), nothing lost");
    }

    [Test]
    public async Task An_express_message_is_not_persistent()
    {
        var queue = NewQueueName("express");
        factory.CreateTransport(queue);

        await SendAsync(factory.CreateOneWayClient(), queue, New("fast", new Dictionary<string, string> { [Headers.Express] = "" }));
        var raw = await GetRawAsync(queue);

        Assert.That(raw!.BasicProperties.Persistent, Is.False);
    }

    [Test]
    public async Task A_plain_amqp_message_from_another_system_is_received_with_its_properties_as_headers()
    {
        var queue = NewQueueName("foreign");
        var receiver = factory.CreateTransport(queue);
        await using (var connection = await NewConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties
            {
                MessageId = "ext-1",
                CorrelationId = "ext-corr",
                Type = "order.created",
                ContentType = "application/json",
                Headers = new Dictionary<string, object?> { ["source"] = Encoding.UTF8.GetBytes("erp"), ["attempt"] = 3, ["x-death"] = new List<object>() },
            };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes("{}"));
        }

        var received = await ReceiveWithinAsync(receiver, Generous);

        Assert.That(received, Is.Not.Null);
        Assert.That(received!.Headers[Headers.MessageId], Is.EqualTo("ext-1"));
        Assert.That(received.Headers[Headers.CorrelationId], Is.EqualTo("ext-corr"));
        Assert.That(received.Headers[Headers.Type], Is.EqualTo("order.created"));
        Assert.That(received.Headers[Headers.ContentType], Is.EqualTo("application/json"));
        Assert.That(received.Headers["source"], Is.EqualTo("erp"));
        Assert.That(received.Headers["attempt"], Is.EqualTo("3"));
        Assert.That(received.Headers.ContainsKey("x-death"), Is.False, "structured broker headers are left out");
    }

    private async Task<BasicGetResult?> GetRawAsync(string queue)
    {
        await using var connection = await NewConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        BasicGetResult? result = null;
        await EventuallyAsync(async () => (result = await channel.BasicGetAsync(queue, autoAck: true)) is not null, Generous);
        return result;
    }

    private Task<IConnection> NewConnectionAsync() => new ConnectionFactory { Uri = new Uri(factory.Url) }.CreateConnectionAsync();
}
