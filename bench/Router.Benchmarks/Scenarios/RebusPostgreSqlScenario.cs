using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Rebus.Activation;
using Rebus.Config;
using Router.Benchmarks.Measuring;
using Router.Transport.PostgreSql;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (p) Rebus.PostgreSql's transport as it ships, (q) the same transport as the router wraps it (one shared transaction
/// per message, sends held to commit): a one-way client sends N messages from concurrent senders (each send its own
/// committed transaction), a bus with a no-op handler receives them. Timed from the first send to the N-th handled
/// message; latency is from each send call to its handler. Each run gets a fresh schema on the server named by
/// <c>ROUTER_BENCH_POSTGRES</c> (scripts/bench.sh --postgres starts one); the SQLite durability setting does not apply.
/// </summary>
public sealed class RebusPostgreSqlScenario(bool wrapped) : IBenchmarkScenario
{
    public const string ServerVariable = "ROUTER_BENCH_POSTGRES";
    private const string Queue = "bench";
    private const string Table = "bench_messages";
    private const string SentAtHeader = "bench-sent-at";

    public string Name => wrapped ? "q: Rebus pass-through on Rebus.PostgreSql, router wrapper" : "p: Rebus pass-through on Rebus.PostgreSql as shipped";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable)
            ?? throw new InvalidOperationException($"{ServerVariable} is not set: run scripts/bench.sh --postgres, or set it to a connection string");
        var schema = $"bench_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 200 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgreSqlQueueTable(dataSource, schema, Table).EnsureCreatedAsync(cancellationToken);
        try
        {
            return await MeasureAsync(settings, dataSource, connectionString, schema, cancellationToken);
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<BenchmarkResult> MeasureAsync(BenchmarkSettings settings, NpgsqlDataSource dataSource, string connectionString, string schema,
        CancellationToken cancellationToken)
    {
        var options = new PostgreSqlTransportOptions { DataSource = dataSource, Schema = schema, Table = Table };
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
            .Transport(t =>
            {
                if (wrapped)
                {
                    t.UseRouterPostgreSql(options, Queue);
                }
                else
                {
                    t.UsePostgreSql(connectionString, Table, Queue, schemaName: schema);
                }
            })
            .Options(o =>
            {
                o.SetNumberOfWorkers(1);
                o.SetMaxParallelism(settings.Parallelism);
            })
            .Start();
        using var client = Configure.OneWayClient()
            .Logging(l => l.None())
            .Transport(t =>
            {
                if (wrapped)
                {
                    t.UseRouterPostgreSqlAsOneWayClient(options);
                }
                else
                {
                    t.UsePostgreSqlAsOneWayClient(connectionString, Table, schemaName: schema);
                }
            })
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

        return new BenchmarkResult(Name, "PG fsync on", settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            latency.Percentile(0.5), latency.Percentile(0.99), "send call → handler", cpuPercent,
        [
            $"sends done after {sent.TotalSeconds:N2} s ({settings.MessageCount / sent.TotalSeconds:N0}/s, {settings.Senders} senders, each send its own commit)",
            $"receiver: MaxParallelism {settings.Parallelism}, 1 worker thread, Rebus's default back-off; PostgreSQL on loopback, fsync on",
        ]);
    }
}
