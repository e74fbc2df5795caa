using System.Diagnostics;
using System.IO.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Benchmarks.Measuring;
using Router.Core.Config;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Composition;
using Serilog;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (c) The whole router on the embedded default: N JSON files in a folder inbox → durable hand-off to the route
/// queue → inbox check, <c>map</c>, fan-out → delivery leg with inbox check, Polly pipeline and an HTTP POST to a
/// loopback receiver → commit; journal on (4 rows per message). That is three queue hops per message, each a
/// transaction on the one SQLite file. Timed from the first poll to the N-th POST received; latency is from a
/// message's hand-off (journal "received") to the end of its delivery (journal "delivered" + its duration).
/// </summary>
public sealed class FullRouterScenario : IBenchmarkScenario
{
    public string Name => "c: full router folder -> map -> HTTP";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(settings.WorkDirectory, $"router-{settings.Durability.ToLowerInvariant()}-{Guid.NewGuid():N}");
        var inbox = Path.Combine(directory, "inbox");
        Directory.CreateDirectory(inbox);
        await using var receiver = await HttpSink.StartAsync(settings.MessageCount, cancellationToken);
        var config = Path.Combine(directory, "router.yaml");
        await File.WriteAllTextAsync(config, $$"""
            router:
              transport: { kind: sqlite, durability: {{(settings.SynchronousFull ? "full" : "normal")}} }
              storage: { kind: sqlite, path: ./router.db }
              defaults:
                routeParallelism: {{settings.Parallelism}}
                deliveryParallelism: {{settings.Parallelism}}
            endpoints:
              inbox: { kind: folder, path: ./inbox, type: order.created, messageId: $.number, batch: 200 }
              sink: { kind: http, url: "{{receiver.Url}}" }
            routes:
              - id: orders
                from: inbox
                steps:
                  - map:
                      fields:
                        number: $.number
                        customer: { fields: { email: { path: $.client.email, convert: lower } } }
                        total: { path: $.sum, convert: decimal }
                        note: $.note
                to: [ sink ]
            """, cancellationToken);
        var filler = MessagePayload.Text(Math.Max(0, settings.BodyBytes - 120));
        for (var i = 0; i < settings.MessageCount; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"{i:000000}.json"),
                $$"""{ "number": "{{i}}", "client": { "email": "Buyer{{i}}@Example.ru" }, "sum": 1234.56, "note": "{{filler}}" }""", cancellationToken);
        }

        var loaded = new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), new FileSystem(), Environment.GetEnvironmentVariable)
            .Load(config);
        var logger = new LoggerConfiguration().MinimumLevel.Error().WriteTo.Console().CreateLogger();
        await using var runtime = await RouterRuntimeFactory.CreateAsync(loaded.Config ?? throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics)),
            logger, new FileSystem(), TimeProvider.System, cancellationToken);
        var engine = new RouterEngine(runtime);
        var cpu = new CpuMeter();
        var startedAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        engine.Start();
        await engine.PollAllOnceAsync(TimeSpan.FromMilliseconds(1), cancellationToken);
        var handedOff = Stopwatch.GetElapsedTime(started);
        await receiver.AllReceived.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPercent = cpu.PercentSinceStart();
        await engine.WaitUntilDrainedAsync(TimeSpan.FromMinutes(1), cancellationToken);
        await engine.DisposeAsync();

        var journal = await runtime.State.Journal.SinceAsync(startedAt, null, 10_000_000, cancellationToken);
        var latencies = Latencies(journal);
        return new BenchmarkResult(Name, settings.Durability, settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            Percentile(latencies, 0.5), Percentile(latencies, 0.99), "hand-off → delivered", cpuPercent,
        [
            $"all {settings.MessageCount:N0} files read and handed off after {handedOff.TotalSeconds:N2} s (batches of 200, each one fsynced commit)",
            $"{journal.Count:N0} journal rows, {receiver.Received:N0} POSTs received; route and delivery parallelism {settings.Parallelism}",
        ]);
    }

    private static List<TimeSpan> Latencies(IReadOnlyList<JournalEntry> journal)
    {
        var received = journal.Where(e => e.Step == JournalSteps.Received).GroupBy(e => e.MessageId).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        return journal.Where(e => e.Step == JournalSteps.Delivered && received.ContainsKey(e.MessageId))
            .Select(e => e.At + TimeSpan.FromMilliseconds(e.DurationMs ?? 0) - received[e.MessageId])
            .Order()
            .ToList();
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double fraction) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[(int)Math.Clamp(Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>A loopback HTTP receiver that only counts: the destination must not be what is measured.</summary>
    private sealed class HttpSink : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly int expected;
        private readonly TaskCompletionSource allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int received;

        private HttpSink(WebApplication app, int expected)
        {
            this.app = app;
            this.expected = expected;
        }

        public string Url { get; private set; } = "";

        public int Received => Volatile.Read(ref received);

        public Task AllReceived => allReceived.Task;

        public static async Task<HttpSink> StartAsync(int expected, CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var sink = new HttpSink(app, expected);
            app.MapPost("/sink", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
                if (Interlocked.Increment(ref sink.received) >= sink.expected)
                {
                    sink.allReceived.TrySetResult();
                }
                return Results.StatusCode(201);
            });
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            sink.Url = address.TrimEnd('/') + "/sink";
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
