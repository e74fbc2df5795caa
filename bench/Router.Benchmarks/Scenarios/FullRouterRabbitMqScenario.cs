using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Router.Benchmarks.Measuring;
using Router.Core.Config;
using Router.Core.Routing;
using Router.Host.Composition;
using Serilog;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (c) The whole router on RabbitMQ + PostgreSQL, built as the host builds it: the benchmark publishes N 1 KB
/// persistent JSON messages (with message_id, confirms awaited per 100, as (a) does) to a source queue; the router's
/// <c>rabbitmq</c> inbound endpoint consumes them (basic.consume, prefetch 400) and hands them off in batches of up to 200 (inbox + journal in
/// PostgreSQL, send to the route queue, then ack) → route stage with a <c>map</c> step → delivery queue → delivery
/// leg publishing, confirmed, to an outbound queue the benchmark consumes. Journal on. Timed from the first publish
/// to the N-th arrival at the outbound queue; latency is publish → arrival there (the send time rides in the
/// payload through the map). With <c>hosts: 2</c> (c2), two runtimes in this process share the queues and the
/// schema: the source, route and delivery queues have two competing consumers each. Each run gets a fresh schema and fresh queue names.
/// </summary>
public sealed class FullRouterRabbitMqScenario(string url, bool quorum, string postgres, int hosts) : IBenchmarkScenario
{
    private const int ConfirmBatch = 100;

    public string Name => hosts == 1
        ? "c: full router RabbitMQ+PostgreSQL queue -> map -> queue"
        : $"c{hosts}: the same, {hosts} router runtimes (competing consumers)";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var schema = $"bench_router_{token}";
        var source = $"bench-source-{token}";
        var target = $"bench-target-{token}";
        var routeId = $"orders-{token}";
        var sinkId = $"sink-{token}";
        var connectionString = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ConnectionString;
        await using var admin = NpgsqlDataSource.Create(postgres);
        await using (var create = admin.CreateCommand($"CREATE SCHEMA \"{schema}\""))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var factory = new ConnectionFactory { Uri = new Uri(url), AutomaticRecoveryEnabled = false };
        await using var publishing = await factory.CreateConnectionAsync("bench router publish", cancellationToken);
        await using var consuming = await factory.CreateConnectionAsync("bench router consume", cancellationToken);
        await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
        await using var consumer = await consuming.CreateChannelAsync(cancellationToken: cancellationToken);
        var arguments = quorum ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await consumer.QueueDeclareAsync(source, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        await consumer.QueueDeclareAsync(target, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        try
        {
            var directory = Path.Combine(settings.WorkDirectory, $"router-rabbitmq-{token}");
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "router.yaml");
            // Secrets stay out of the file: the loader reads them through the environment lookup below.
            await File.WriteAllTextAsync(config, $$"""
                router:
                  transport: { kind: rabbitmq, connection: "${env:BENCH_AMQP}", queues: {{(quorum ? "quorum" : "classic")}} }
                  storage: { kind: postgresql, connection: "${env:BENCH_POSTGRES}" }
                  defaults:
                    routeParallelism: {{settings.Parallelism}}
                    deliveryParallelism: {{settings.Parallelism}}
                endpoints:
                  {{source}}: { kind: rabbitmq, connection: "${env:BENCH_AMQP}", queue: {{source}}, batch: 200 }
                  {{sinkId}}: { kind: rabbitmq, connection: "${env:BENCH_AMQP}", routingKey: {{target}} }
                routes:
                  - id: {{routeId}}
                    from: {{source}}
                    steps:
                      - map:
                          fields:
                            number: $.number
                            customer: { fields: { email: { path: $.client.email, convert: lower } } }
                            total: { path: $.sum, convert: decimal }
                            sentAt: $.sentAt
                            note: $.note
                    to: [ {{sinkId}} ]
                """, cancellationToken);
            string? Lookup(string name) => name switch
            {
                "BENCH_AMQP" => url,
                "BENCH_POSTGRES" => connectionString,
                _ => Environment.GetEnvironmentVariable(name),
            };
            var loaded = new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), new FileSystem(), Lookup).Load(config);
            var routerConfig = loaded.Config ?? throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
            var logger = new LoggerConfiguration().MinimumLevel.Error().WriteTo.Console().CreateLogger();
            var runtimes = new List<RouterRuntime>();
            try
            {
                for (var i = 0; i < hosts; i++)
                {
                    runtimes.Add(await RouterRuntimeFactory.CreateAsync(routerConfig, logger, new FileSystem(), TimeProvider.System, cancellationToken));
                }
                await using var sampling = await publishing.CreateChannelAsync(cancellationToken: cancellationToken);
                var depths = new QueueDepthSampler(sampling, [source, QueueNames.ForRoute(routeId), QueueNames.ForDelivery(sinkId), target]);
                return await MeasureAsync(settings, runtimes, source, target, publisher, consumer, depths, cancellationToken);
            }
            finally
            {
                foreach (var runtime in runtimes)
                {
                    await runtime.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var queue in new[] { source, target, QueueNames.ForRoute(routeId), QueueNames.ForDelivery(sinkId) })
            {
                await consumer.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
            }
            await using var drop = admin.CreateCommand($"DROP SCHEMA \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<BenchmarkResult> MeasureAsync(BenchmarkSettings settings, List<RouterRuntime> runtimes, string source, string target,
        IChannel publisher, IChannel consumer, QueueDepthSampler depths, CancellationToken cancellationToken)
    {
        var latency = new LatencyRecorder(settings.MessageCount);
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await consumer.BasicQosAsync(0, (ushort)settings.Prefetch, global: false, cancellationToken);
        var consuming = new AsyncEventingBasicConsumer(consumer);
        consuming.ReceivedAsync += async (_, delivery) =>
        {
            var sentAt = SentAt(delivery.Body.Span);
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            if (latency.Record(Stopwatch.GetTimestamp() - sentAt) == settings.MessageCount)
            {
                allArrived.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(target, autoAck: false, consuming, cancellationToken);

        var engines = runtimes.Select(r => new RouterEngine(r)).ToList();
        depths.InFlight = () => engines.Sum(e => e.InFlight);
        using var stopPolling = new CancellationTokenSource();
        var pollers = new List<Task>();
        foreach (var engine in engines)
        {
            engine.Start();
            pollers.Add(engine.RunPollersAsync(stopPolling.Token));
        }
        var filler = MessagePayload.Text(Math.Max(0, settings.BodyBytes - 150));
        var cpu = new CpuMeter();
        using var stopSampling = new CancellationTokenSource();
        var sampling = depths.RunAsync(TimeSpan.FromMilliseconds(500), stopSampling.Token);
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>(ConfirmBatch);
        for (var i = 0; i < settings.MessageCount; i++)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = Guid.NewGuid().ToString(),
                Type = "order.created",
                ContentType = "application/json",
            };
            var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{ "number": "{{i}}", "client": { "email": "Buyer{{i}}@Example.ru" }, "sum": 1234.56, "sentAt": "{{Stopwatch.GetTimestamp()}}", "note": "{{filler}}" }"""));
            pending.Add(publisher.BasicPublishAsync("", source, mandatory: true, properties, body, cancellationToken).AsTask());
            if (pending.Count == ConfirmBatch)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        var published = Stopwatch.GetElapsedTime(started);
        await allArrived.Task.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPercent = cpu.PercentSinceStart();
        await stopSampling.CancelAsync();
        await sampling;

        await stopPolling.CancelAsync();
        try
        {
            await Task.WhenAll(pollers);
        }
        catch (OperationCanceledException)
        {
            // A poll caught mid-way by the stop ends with a cancellation, as the host's does on shutdown.
        }
        foreach (var engine in engines)
        {
            await engine.WaitUntilDrainedAsync(TimeSpan.FromMinutes(1), cancellationToken);
            await engine.DisposeAsync();
        }
        var journalRows = await CountJournalAsync(runtimes[0], cancellationToken);
        return new BenchmarkResult(Name, RawRabbitMqScenario.Durability(quorum), settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            latency.Percentile(0.5), latency.Percentile(0.99), "publish → outbound queue", cpuPercent,
        [
            string.Create(CultureInfo.InvariantCulture, $"source publishes confirmed after {published.TotalSeconds:N2} s ({settings.MessageCount / published.TotalSeconds:N0}/s, confirms awaited per {ConfirmBatch})"),
            $"{hosts} runtime(s); inbound consumer batch 200, prefetch 400, linger 10 ms; route and delivery parallelism {settings.Parallelism}; {journalRows:N0} journal rows",
            $"ready messages, sampled every 0.5 s (source, route, delivery, outbound queue): {depths.Describe()}",
        ]);
    }

    private static long SentAt(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("sentAt"u8))
            {
                reader.Read();
                return long.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException("an outbound message without sentAt");
    }

    private static async Task<int> CountJournalAsync(RouterRuntime runtime, CancellationToken cancellationToken)
    {
        var journal = await runtime.State.Journal.SinceAsync(DateTimeOffset.UtcNow.AddHours(-1), null, 10_000_000, cancellationToken);
        return journal.Count;
    }
}
