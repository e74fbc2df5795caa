using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Router.Benchmarks.Measuring;
using Router.Transport.Sqlite.Database;
using Router.Transport.Sqlite.Inspection;

namespace Router.Benchmarks.Scenarios;

/// <summary>
/// (a) The floor of what SQLite itself costs: the transport's table and pragmas, one connection, prepared statements,
/// N inserts each in its own transaction, then N delete-returning receives each in its own transaction. No batching,
/// no concurrency, no Rebus — every message pays a full commit twice, as a naive queue on SQLite would.
/// </summary>
public sealed class RawSqliteScenario : IBenchmarkScenario
{
    private const string Queue = "raw";

    public string Name => "a: raw SQLite enqueue+dequeue (1 tx each)";

    public async Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var path = settings.NewDatabasePath("raw");
        await CreateTransportTableAsync(path, settings, cancellationToken);
        await using var connection = await OpenLikeTheTransportAsync(path, settings, cancellationToken);
        var body = MessagePayload.Body(settings.BodyBytes);
        var enqueueLatency = new LatencyRecorder(settings.MessageCount);
        var dequeueLatency = new LatencyRecorder(settings.MessageCount);
        var cpu = new CpuMeter();

        var started = Stopwatch.GetTimestamp();
        await EnqueueAsync(connection, settings.MessageCount, body, enqueueLatency, cancellationToken);
        var enqueued = Stopwatch.GetElapsedTime(started);
        var dequeueStarted = Stopwatch.GetTimestamp();
        var received = await DequeueAsync(connection, settings.MessageCount, dequeueLatency, cancellationToken);
        var dequeued = Stopwatch.GetElapsedTime(dequeueStarted);
        var elapsed = enqueued + dequeued;
        if (received != settings.MessageCount)
        {
            throw new InvalidOperationException($"raw dequeue got {received} of {settings.MessageCount} messages");
        }

        return new BenchmarkResult(Name, settings.Durability, settings.MessageCount, elapsed, settings.MessageCount / elapsed.TotalSeconds,
            dequeueLatency.Percentile(0.5), dequeueLatency.Percentile(0.99), "one dequeue transaction", cpu.PercentSinceStart(),
        [
            $"enqueue {settings.MessageCount / enqueued.TotalSeconds:N0}/s (tx p50 {Ms(enqueueLatency.Percentile(0.5))}, p99 {Ms(enqueueLatency.Percentile(0.99))})",
            $"dequeue {settings.MessageCount / dequeued.TotalSeconds:N0}/s",
            "limit: one commit per message on one thread" + (settings.SynchronousFull ? ", each an fsync" : " (WAL append, no fsync)"),
        ]);
    }

    private static async Task CreateTransportTableAsync(string path, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        await using var database = SqliteDatabase.Open(new SqliteDatabaseOptions { Path = path, SynchronousFull = settings.SynchronousFull });
        await new SqliteQueues(database).EnsureSchemaAsync(cancellationToken);
    }

    /// <summary>The pragmas SqliteDatabase sets on its writer.</summary>
    private static async Task<SqliteConnection> OpenLikeTheTransportAsync(string path, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        foreach (var pragma in new[]
                 {
                     "PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=30000", "PRAGMA temp_store=MEMORY",
                     settings.SynchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                 })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }

    private static async Task EnqueueAsync(SqliteConnection connection, int count, byte[] body, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO transport_messages (queue, visible_at, expires_at, headers, body) VALUES ($queue, $visible, NULL, $headers, $body)";
        insert.Parameters.AddWithValue("$queue", Queue);
        var visible = insert.Parameters.Add("$visible", SqliteType.Integer);
        insert.Parameters.AddWithValue("$headers", MessagePayload.HeadersJson());
        insert.Parameters.AddWithValue("$body", body);
        insert.Prepare();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            visible.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            latency.Record(Stopwatch.GetTimestamp() - started);
        }
    }

    private static async Task<int> DequeueAsync(SqliteConnection connection, int count, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        await using var receive = connection.CreateCommand();
        receive.CommandText = """
            DELETE FROM transport_messages
             WHERE id = (SELECT id FROM transport_messages
                          WHERE queue = $queue AND visible_at <= $now AND (expires_at IS NULL OR expires_at > $now)
                          ORDER BY visible_at, id LIMIT 1)
            RETURNING id, headers, body
            """;
        receive.Parameters.AddWithValue("$queue", Queue);
        var now = receive.Parameters.Add("$now", SqliteType.Integer);
        receive.Prepare();
        var received = 0;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var transaction = connection.BeginTransaction(deferred: false);
            receive.Transaction = transaction;
            now.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await using (var reader = await receive.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    _ = reader.GetString(1);
                    _ = reader.GetFieldValue<byte[]>(2);
                    received++;
                }
            }
            await transaction.CommitAsync(cancellationToken);
            latency.Record(Stopwatch.GetTimestamp() - started);
        }
        return received;
    }

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:N2} ms";
}
