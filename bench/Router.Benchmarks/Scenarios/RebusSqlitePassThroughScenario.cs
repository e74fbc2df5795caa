using System.Diagnostics;
using System.Globalization;
using Rebus.Activation;
using Rebus.Config;
using Router.Benchmarks.Measuring;
using Router.Transport.Sqlite;
using Router.Transport.Sqlite.Database;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (b) Rebus on our SQLite transport: a one-way client bus sends N messages from several concurrent senders (each
/// send its own durable, fsynced commit — the inbound hand-off case), a bus with a no-op handler receives them. Timed
/// from the first send to the N-th handled message; latency is from each send call to its handler.
/// </summary>
public sealed class RebusSqlitePassThroughScenario : IBenchmarkScenario
{
    private const string Queue = "bench";
    private const string SentAtHeader = "bench-sent-at";

    public string Name => "b: Rebus pass-through on SqliteTransport";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        await using var database = SqliteDatabase.Open(new SqliteDatabaseOptions
        {
            Path = settings.NewDatabasePath("rebus"),
            SynchronousFull = settings.SynchronousFull,
        });
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
        using var receiver = Configure.With(activator)
            .Logging(l => l.None())
            .Transport(t => t.UseSqlite(database, Queue).Prefetch(settings.Prefetch))
            .Options(o =>
            {
                o.SetNumberOfWorkers(1);
                o.SetMaxParallelism(settings.Parallelism);
            })
            .Start();
        using var client = Configure.OneWayClient()
            .Logging(l => l.None())
            .Transport(t => t.UseSqliteAsOneWayClient(database))
            .Start();
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
                await client.Advanced.Routing.Send(Queue, new BenchMessage(payload), headers);
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(sending);
        var sent = Stopwatch.GetElapsedTime(started);
        await allHandled.Task.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPercent = cpu.PercentSinceStart();

        return new BenchmarkResult(Name, settings.Durability, settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            latency.Percentile(0.5), latency.Percentile(0.99), "send call → handler", cpuPercent,
        [
            $"sends done after {sent.TotalSeconds:N2} s ({settings.MessageCount / sent.TotalSeconds:N0}/s, {settings.Senders} senders, each send fsynced)",
            $"receiver: MaxParallelism {settings.Parallelism}, prefetch {settings.Prefetch}, 1 worker thread",
        ]);
    }
}

/// <summary>The benchmark's message: a 1 KB string payload.</summary>
public sealed record BenchMessage(string Payload);
