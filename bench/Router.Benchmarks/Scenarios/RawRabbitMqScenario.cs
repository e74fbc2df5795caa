using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Router.Benchmarks.Measuring;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (a) What RabbitMQ.Client itself gets out of the broker: one publisher on a confirming channel (100 publishes, then
/// their confirms awaited together), one consumer on its own connection with manual acks, 1 KB persistent messages
/// into a durable queue of the chosen type. Timed from the first publish to the N-th ack; latency is publish → consumer.
/// </summary>
public sealed class RawRabbitMqScenario(string url, bool quorum) : IBenchmarkScenario
{
    private const int ConfirmBatch = 100;
    private const string SentAtHeader = "bench-sent-at";

    public string Name => "a: raw RabbitMQ.Client (confirms per 100, manual ack)";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = new Uri(url), AutomaticRecoveryEnabled = false };
        await using var publishing = await factory.CreateConnectionAsync("bench raw publish", cancellationToken);
        await using var consuming = await factory.CreateConnectionAsync("bench raw consume", cancellationToken);
        await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
        await using var consumer = await consuming.CreateChannelAsync(cancellationToken: cancellationToken);
        var arguments = quorum ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await consumer.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        try
        {
            return await MeasureAsync(settings, queue, publisher, consumer, cancellationToken);
        }
        finally
        {
            await consumer.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }

    private async Task<BenchmarkResult> MeasureAsync(BenchmarkSettings settings, string queue, IChannel publisher, IChannel consumer,
        CancellationToken cancellationToken)
    {
        var latency = new LatencyRecorder(settings.MessageCount);
        var allConsumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await consumer.BasicQosAsync(0, (ushort)settings.Prefetch, global: false, cancellationToken);
        var consuming = new AsyncEventingBasicConsumer(consumer);
        consuming.ReceivedAsync += async (_, delivery) =>
        {
            var sentAt = (long)delivery.BasicProperties.Headers![SentAtHeader]!;
            await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
            if (latency.Record(Stopwatch.GetTimestamp() - sentAt) == settings.MessageCount)
            {
                allConsumed.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, consuming, cancellationToken);
        var body = MessagePayload.Body(settings.BodyBytes);
        var cpu = new CpuMeter();

        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>(ConfirmBatch);
        for (var i = 0; i < settings.MessageCount; i++)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = Guid.NewGuid().ToString(),
                ContentType = "application/json;charset=utf-8",
                Headers = new Dictionary<string, object?> { [SentAtHeader] = Stopwatch.GetTimestamp() },
            };
            pending.Add(publisher.BasicPublishAsync("", queue, mandatory: true, properties, body, cancellationToken).AsTask());
            if (pending.Count == ConfirmBatch)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        var published = Stopwatch.GetElapsedTime(started);
        await allConsumed.Task.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);

        return new BenchmarkResult(Name, Durability(quorum), settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            latency.Percentile(0.5), latency.Percentile(0.99), "publish → consumer", cpu.PercentSinceStart(),
        [
            string.Create(CultureInfo.InvariantCulture, $"publishes confirmed after {published.TotalSeconds:N2} s ({settings.MessageCount / published.TotalSeconds:N0}/s, one publisher, confirms awaited per {ConfirmBatch})"),
            $"consumer: prefetch {settings.Prefetch}, one ack per message; {(quorum ? "quorum" : "classic durable")} queue",
        ]);
    }

    public static string Durability(bool quorum) => quorum ? "quorum" : "classic";
}
