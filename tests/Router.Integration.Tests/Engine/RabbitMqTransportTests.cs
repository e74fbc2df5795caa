using System.Text;
using RabbitMQ.Client;
using Router.Integration.Tests.Cli;
using Router.Integration.Tests.Support;
using Router.Testing;

namespace Router.Integration.Tests.Engine;

/// <summary>
/// <c>router run</c> with <c>transport.kind: rabbitmq</c> (state in SQLite) on the test broker: the quickstart gives
/// the same answers as on the embedded default, and a source's queue flows to a partner's exchange.
/// </summary>
[TestFixture]
public sealed class RabbitMqTransportTests
{
    private IDisposable brokerLock = null!;
    private IConnection connection = null!;
    private IChannel channel = null!;

    [SetUp]
    public async Task ConnectAsync()
    {
        var url = RabbitMqBroker.Url;
        brokerLock = await RabbitMqBroker.ShareAsync();
        connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        channel = await connection.CreateChannelAsync();
    }

    [TearDown]
    public async Task DisconnectAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
        brokerLock.Dispose();
    }

    [Test]
    public async Task The_quickstart_on_rabbitmq_gives_the_same_summary_as_on_sqlite()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out var sandboxUrl);
        // Fresh route and leg names per run: the broker outlives the test.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var yaml = File.ReadAllText(config)
            .Replace("transport: { kind: sqlite, durability: normal }", "transport: { kind: rabbitmq, connection: \"${env:ROUTER_TEST_RABBITMQ_URL}\", queues: quorum }", StringComparison.Ordinal)
            .Replace("orders-to-platform", $"orders-to-platform-{suffix}", StringComparison.Ordinal);
        Assert.That(yaml, Does.Contain("kind: rabbitmq"), "the quickstart config's transport line changed; update this test");
        File.WriteAllText(config, yaml);
        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        var time = DateTime.UtcNow.AddMinutes(-1);
        foreach (var sample in Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "samples", "orders")).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(inbox, Path.GetFileName(sample));
            File.Copy(sample, target);
            File.SetLastWriteTimeUtc(target, time = time.AddSeconds(1));
        }
        try
        {
            var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Out, Does.Contain("7 accepted, 1 rejected"), run.Out);
            Assert.That(run.Out, Does.Contain("1 duplicate (skipped)"), run.Out);
            Assert.That(run.Out, Does.Contain("-> platform-orders      3 delivered, 1 dead-lettered"), run.Out);
            Assert.That(run.Out, Does.Contain("-> orders-archive       4 delivered"), run.Out);
            Assert.That(run.Out, Does.Contain("Failures: 3 dead letter(s)"), run.Out);
            Assert.That(Directory.GetFiles(directory.Combine("data", "outbox", "orders")), Has.Length.EqualTo(4));
        }
        finally
        {
            await channel.QueueDeleteAsync($"route.orders-to-platform-{suffix}");
        }
    }

    [Test]
    public async Task Messages_from_a_source_queue_reach_a_partner_exchange_through_rabbitmq_queues()
    {
        using var directory = new TemporaryDirectory();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var source = $"erp-orders-{suffix}";
        var exchange = $"partner-events-{suffix}";
        var subscriber = $"partner-inbox-{suffix}";
        await channel.QueueDeclareAsync(source, durable: true, exclusive: false, autoDelete: false);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(subscriber, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(subscriber, exchange, "order.#");
        await using (var confirming = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            for (var i = 1; i <= 20; i++)
            {
                var properties = new BasicProperties { MessageId = $"erp-{i}", Type = "order.created", Persistent = true };
                await confirming.BasicPublishAsync("", source, mandatory: true, properties, Encoding.UTF8.GetBytes($$"""{"number":"{{i}}","status":"new"}"""));
            }
        }
        var config = directory.Combine("router.yaml");
        File.WriteAllText(config, $$"""
            router:
              transport: { kind: rabbitmq, connection: "${env:ROUTER_TEST_RABBITMQ_URL}", queues: quorum }
              storage:   { kind: sqlite, path: ./router.db }
            endpoints:
              erp:      { kind: rabbitmq, connection: "${env:ROUTER_TEST_RABBITMQ_URL}", queue: {{source}} }
              partner:  { kind: rabbitmq, connection: "${env:ROUTER_TEST_RABBITMQ_URL}", exchange: {{exchange}}, routingKeyExpression: "'order.' + $.status" }
            routes:
              - id: erp-to-partner-{{suffix}}
                from: erp
                to: [ partner ]
            """);
        try
        {
            var run = await Support.Cli.RunAsync("run", "--once", "--config", config);

            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Out, Does.Contain("20 accepted"), run.Out);
            Assert.That(run.Out, Does.Contain("20 delivered"), run.Out);
            Assert.That((await channel.QueueDeclarePassiveAsync(source)).MessageCount, Is.Zero, "the source's messages were acknowledged");
            Assert.That((await channel.QueueDeclarePassiveAsync(subscriber)).MessageCount, Is.EqualTo(20));
            var first = await channel.BasicGetAsync(subscriber, autoAck: true);
            Assert.That(first!.RoutingKey, Is.EqualTo("order.new"));
            Assert.That(first.BasicProperties.Type, Is.EqualTo("order.created"));
        }
        finally
        {
            foreach (var queue in new[] { source, subscriber, $"route.erp-to-partner-{suffix}", "deliver.partner" })
            {
                await channel.QueueDeleteAsync(queue);
            }
            await channel.ExchangeDeleteAsync(exchange);
        }
    }
}
