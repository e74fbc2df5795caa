using System.Diagnostics;
using System.Globalization;
using Rebus.Activation;
using Rebus.Config;
using Router.Benchmarks.Measuring;
using Router.Transport.RabbitMq;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (b) Rebus on our RabbitMQ transport: a one-way client bus sends N messages from several concurrent senders (each
/// send its own transaction: one publish, confirmed before the send returns — the inbound hand-off case), a bus with a
/// no-op handler receives and acks them. Timed from the first send to the N-th handled message; latency is from each
/// send call to its handler.
/// </summary>
public sealed class RebusRabbitMqPassThroughScenario(string url, bool quorum) : IBenchmarkScenario
{
    private const string SentAtHeader = "bench-sent-at";

    public string Name => "b: Rebus pass-through on RabbitMqTransport";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var queue = $"bench-rebus-{Guid.NewGuid():N}";
        var latency = new LatencyRecorder(settings.MessageCount);
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var activator = new BuiltinHandlerActivator();
        activator.Handle<BenchMessage>((_, context, _) =>
        {
            var sentAt = long.Parse(context.Headers[SentAtHeader], CultureInfo.InvariantCulture);
            if (latency.Record(Stopwatch.GetTimestamp() - sentAt) == settings.MessageCount)
            {
                allHandled.TrySetResult();
            }
            return Task.CompletedTask;
        });
        var receiver = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseRabbitMq(url, queue).Prefetch(settings.Prefetch).QuorumQueues(quorum))
            .Options(o =>
            {
                o.SetNumberOfWorkers(1);
                o.SetMaxParallelism(settings.Parallelism);
            })
            .Start();
        var client = Configure.OneWayClient()
            .Logging(l => l.None())
            .Transport(t => t.UseRabbitMqAsOneWayClient(url).QuorumQueues(quorum))
            .Start();
        try
        {
            var payload = MessagePayload.Text(settings.BodyBytes);
            var cpu = new CpuMeter();

            var started = Stopwatch.GetTimestamp();
            var perSender = settings.MessageCount / settings.Senders;
            var sending = Enumerable.Range(0, settings.Senders).Select(sender => Task.Run(async () =>
            {
                var count = sender == settings.Senders - 1 ? settings.MessageCount - perSender * sender : perSender;
                for (var i = 0; i < count; i++)
                {
                    var headers = new Dictionary<string, string> { [SentAtHeader] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) };
                    await client.Advanced.Routing.Send(queue, new BenchMessage(payload), headers);
                }
            }, cancellationToken)).ToList();
            await Task.WhenAll(sending);
            var sent = Stopwatch.GetElapsedTime(started);
            await allHandled.Task.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpuPercent = cpu.PercentSinceStart();

            return new BenchmarkResult(Name, RawRabbitMqScenario.Durability(quorum), settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
                latency.Percentile(0.5), latency.Percentile(0.99), "send call → handler", cpuPercent,
            [
                string.Create(CultureInfo.InvariantCulture, $"sends confirmed after {sent.TotalSeconds:N2} s ({settings.MessageCount / sent.TotalSeconds:N0}/s, {settings.Senders} senders, each send its own confirmed publish)"),
                $"receiver: MaxParallelism {settings.Parallelism}, prefetch {settings.Prefetch}, 1 worker thread, back-off on the consumer's arrival signal",
            ]);
        }
        finally
        {
            client.Dispose();
            receiver.Dispose();
            using var janitor = new RabbitMqTransport(url, null);
            janitor.Initialize();
            await janitor.DeleteQueueAsync(queue, CancellationToken.None);
        }
    }
}
