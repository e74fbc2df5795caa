using System.IO.Abstractions;
using System.Text;
using RabbitMQ.Client;
using Router.Core.Config;
using Router.Core.Endpoints;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Composition;
using Router.Integration.Tests.Support;
using Router.Testing;
using Serilog;

namespace Router.Integration.Tests.ScaleOut;

/// <summary>
/// The <c>rabbitmq</c> inbound endpoint as a push consumer inside whole routers (RabbitMQ transport, PostgreSQL state)
/// in this process: a host that dies between the hand-off and the ack, and two hosts competing on one source queue.
/// Counted at the destination queue.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PushConsumerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private IDisposable brokerLock = null!;
    private string url = null!;
    private IConnection connection = null!;
    private IChannel channel = null!;
    private PostgresTestSchema schema = null!;
    private string suffix = null!;
    private readonly List<(RouterRuntime Runtime, RouterEngine Engine)> hosts = [];

    private string SourceId => $"push-source-{suffix}";
    private string TargetId => $"push-target-{suffix}";
    private string RouteId => $"push-{suffix}";
    private string SourceQueue => $"push-source-q-{suffix}";
    private string TargetQueue => $"push-target-q-{suffix}";

    [SetUp]
    public async Task SetUpAsync()
    {
        url = RabbitMqBroker.Url;
        brokerLock = await RabbitMqBroker.ShareAsync();
        schema = await PostgresTestSchema.CreateAsync("push");
        suffix = Guid.NewGuid().ToString("N")[..8];
        connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(SourceQueue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(TargetQueue, durable: true, exclusive: false, autoDelete: false);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var (runtime, engine) in hosts)
        {
            await engine.DisposeAsync();
            await runtime.DisposeAsync();
        }
        hosts.Clear();
        foreach (var queue in new[] { SourceQueue, TargetQueue, QueueNames.ForRoute(RouteId), QueueNames.ForDelivery(TargetId) })
        {
            await channel.QueueDeleteAsync(queue);
        }
        await channel.DisposeAsync();
        await connection.DisposeAsync();
        await schema.DisposeAsync();
        brokerLock.Dispose();
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_host_that_dies_between_hand_off_and_ack_loses_nothing_and_the_redelivery_is_an_inbox_duplicate()
    {
        const int count = 30;
        await PublishAsync(count);
        var dying = await StartHostAsync();
        var crash = new DiesAfterHandOff(dying.Engine.Sink);
        using var stopDying = new CancellationTokenSource();
        var dyingConsumer = ((IPushInboundEndpoint)dying.Runtime.Inbound[SourceId]).RunAsync(crash, stopDying.Token);

        var handedOff = await crash.HandedOff.Task.WaitAsync(Generous);
        // The host dies: its consumer never acks, its connections close, so the broker puts the batch back.
        await stopDying.CancelAsync();
        await StopHostAsync(dying);
        crash.Die();
        await dyingConsumer.WaitAsync(Generous);
        var survivor = await StartHostAsync();
        using var stopSurvivor = new CancellationTokenSource();
        var inbound = survivor.Engine.RunPollersAsync(stopSurvivor.Token);

        var arrived = await CollectAsync(count);
        Assert.That(await survivor.Engine.WaitUntilDrainedAsync(Generous, CancellationToken.None), Is.True, "the survivor's queues drained");
        arrived.AddRange(await CollectAvailableAsync());
        await stopSurvivor.CancelAsync();
        await inbound;
        var duplicates = await survivor.Runtime.State.Journal.SinceAsync(DateTimeOffset.UtcNow.AddHours(-1), JournalSteps.Duplicate, 10_000, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(handedOff, Is.Not.Empty);
            Assert.That(arrived.Distinct(), Is.EquivalentTo(Enumerable.Range(1, count).Select(Id)), "every message arrived");
            Assert.That(arrived, Has.Count.EqualTo(count), "none arrived twice");
            // Distinct: when both copies are in the route stage at once, the loser's delivery message is a duplicate at the delivery leg too.
            Assert.That(duplicates.Select(d => d.MessageId).Distinct(), Is.EquivalentTo(handedOff),
                "the batch handed off but never acked came again and was skipped as a duplicate, and nothing else was");
        });
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Two_hosts_consume_one_source_queue_together_without_loss_or_duplicates()
    {
        const int count = 300;
        var first = await StartHostAsync();
        var second = await StartHostAsync();
        var firstSink = new CountingSink(first.Engine.Sink);
        var secondSink = new CountingSink(second.Engine.Sink);
        using var stop = new CancellationTokenSource();
        var consumers = new[]
        {
            ((IPushInboundEndpoint)first.Runtime.Inbound[SourceId]).RunAsync(firstSink, stop.Token),
            ((IPushInboundEndpoint)second.Runtime.Inbound[SourceId]).RunAsync(secondSink, stop.Token),
        };
        // Both consumers registered before the first message, so the broker shares the messages out between them.
        await RouterFixture.EventuallyAsync(async () => (await channel.QueueDeclarePassiveAsync(SourceQueue)).ConsumerCount == 2,
            "both hosts consuming the source queue", Generous);

        await PublishAsync(count);
        var arrived = await CollectAsync(count);
        foreach (var host in new[] { first, second })
        {
            Assert.That(await host.Engine.WaitUntilDrainedAsync(Generous, CancellationToken.None), Is.True, "the queues drained");
        }
        arrived.AddRange(await CollectAvailableAsync());
        await stop.CancelAsync();
        await Task.WhenAll(consumers);

        Assert.Multiple(() =>
        {
            Assert.That(firstSink.Messages, Is.GreaterThan(0), "the first host consumed");
            Assert.That(secondSink.Messages, Is.GreaterThan(0), "the second host consumed");
            Assert.That(firstSink.Messages + secondSink.Messages, Is.EqualTo(count), "each message handed off once");
            Assert.That(arrived.Distinct(), Is.EquivalentTo(Enumerable.Range(1, count).Select(Id)), "every message arrived");
            Assert.That(arrived, Has.Count.EqualTo(count), "none arrived twice");
        });
        await TestContext.Out.WriteLineAsync($"host 1 handed off {firstSink.Messages}, host 2 {secondSink.Messages} of {count}");
    }

    private static string Id(int i) => $"push-{i:0000}";

    private async Task PublishAsync(int count)
    {
        await using var confirming = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        for (var i = 1; i <= count; i++)
        {
            var properties = new BasicProperties { MessageId = Id(i), Type = "order.created", Persistent = true };
            await confirming.BasicPublishAsync("", SourceQueue, mandatory: true, properties, Encoding.UTF8.GetBytes($$"""{"number":"{{i}}"}"""));
        }
    }

    /// <summary>Takes messages off the destination queue until <paramref name="count"/> have come: their router message ids.</summary>
    private async Task<List<string>> CollectAsync(int count)
    {
        var arrived = new List<string>();
        await RouterFixture.EventuallyAsync(async () =>
        {
            arrived.AddRange(await CollectAvailableAsync());
            return arrived.Count >= count;
        }, $"{count} messages at the destination", Generous);
        return arrived;
    }

    private async Task<List<string>> CollectAvailableAsync()
    {
        var arrived = new List<string>();
        while (await channel.BasicGetAsync(TargetQueue, autoAck: true) is { } message)
        {
            arrived.Add(Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers!["router-message-id"]!));
        }
        return arrived;
    }

    private async Task<(RouterRuntime Runtime, RouterEngine Engine)> StartHostAsync()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(path, $$"""
            router:
              transport: { kind: rabbitmq, connection: "${env:PUSH_AMQP}", queues: quorum }
              storage: { kind: postgresql, connection: "${env:PUSH_POSTGRES}" }
            endpoints:
              {{SourceId}}: { kind: rabbitmq, connection: "${env:PUSH_AMQP}", queue: {{SourceQueue}}, batch: 10, prefetch: 10 }
              {{TargetId}}: { kind: rabbitmq, connection: "${env:PUSH_AMQP}", routingKey: {{TargetQueue}} }
            routes:
              - id: {{RouteId}}
                from: {{SourceId}}
                to: [ {{TargetId}} ]
            """);
        string? Lookup(string name) => name switch
        {
            "PUSH_AMQP" => url,
            "PUSH_POSTGRES" => schema.ConnectionString,
            _ => Environment.GetEnvironmentVariable(name),
        };
        var loaded = new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), new FileSystem(), Lookup).Load(path);
        var config = loaded.Config ?? throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        var runtime = await RouterRuntimeFactory.CreateAsync(config, logger, new FileSystem(), TimeProvider.System, CancellationToken.None);
        var engine = new RouterEngine(runtime);
        engine.Start();
        var host = (runtime, engine);
        hosts.Add(host);
        return host;
    }

    private async Task StopHostAsync((RouterRuntime Runtime, RouterEngine Engine) host)
    {
        hosts.Remove(host);
        await host.Engine.DisposeAsync();
        await host.Runtime.DisposeAsync();
    }

    /// <summary>Hands the first batch off for real, then never returns to the endpoint: the host dies before it can ack.</summary>
    private sealed class DiesAfterHandOff(IInboundSink inner) : IInboundSink
    {
        private readonly TaskCompletionSource death = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<IReadOnlyList<string>> HandedOff { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Die() => death.TrySetException(new IOException("the host died"));

        public async Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
        {
            var results = await inner.HandOffAsync(endpointId, messages, cancellationToken);
            HandedOff.TrySetResult(messages.Select(m => m.MessageId!).ToList());
            await death.Task;
            return results;
        }

        public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken) =>
            inner.RecordRejectedAsync(endpointId, origin, messageId, error, cancellationToken);
    }

    private sealed class CountingSink(IInboundSink inner) : IInboundSink
    {
        private int messages;

        public int Messages => Volatile.Read(ref messages);

        public async Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
        {
            var results = await inner.HandOffAsync(endpointId, batch, cancellationToken);
            Interlocked.Add(ref messages, batch.Count);
            return results;
        }

        public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken) =>
            inner.RecordRejectedAsync(endpointId, origin, messageId, error, cancellationToken);
    }
}
