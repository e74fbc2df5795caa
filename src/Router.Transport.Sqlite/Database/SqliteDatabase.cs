using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Router.Transport.Sqlite.Database;

/// <summary>
/// One SQLite file shared by the transport and the router's state within a process. All writes go through one
/// group-commit writer: concurrent requests are folded into a single transaction, each inside its own savepoint
/// (so one failing request rolls back alone), and the whole batch costs one commit, one fsync when durable.
/// That is how a single-writer database keeps up with many parallel handlers.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private readonly SqliteDatabaseOptions options;
    private readonly string connectionString;
    private readonly Channel<WriteRequest> writes = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection writer;
    private readonly Task writerLoop;
    private int disposed;

    private SqliteDatabase(SqliteDatabaseOptions options)
    {
        this.options = options;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL;");
        Execute(writer, $"PRAGMA busy_timeout={(int)options.BusyTimeout.TotalMilliseconds};");
        Execute(writer, "PRAGMA temp_store=MEMORY;");
        Execute(writer, BaseSynchronousPragma);
        writerLoop = Task.Run(RunWriterAsync);
    }

    public string Path => options.Path;

    public bool SynchronousFull => options.SynchronousFull;

    public string ConnectionString => connectionString;

    private string BaseSynchronousPragma => options.SynchronousFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";

    /// <summary>Opens (creating if needed) the database file; a missing or read-only directory is reported plainly.</summary>
    public static SqliteDatabase Open(SqliteDatabaseOptions options)
    {
        var fullPath = System.IO.Path.GetFullPath(options.Path);
        var directory = System.IO.Path.GetDirectoryName(fullPath)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SqliteDatabaseException($"cannot create the data directory '{directory}': {e.Message}", e);
        }
        try
        {
            return new SqliteDatabase(options with { Path = fullPath });
        }
        catch (SqliteException e)
        {
            throw new SqliteDatabaseException($"cannot open the database '{fullPath}': {e.Message} (is the directory writable?)", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the next group commit. The task completes once the commit is on disk
    /// (fsynced when <paramref name="durable"/> or the database is in FULL mode), or faults with the work's exception
    /// after its savepoint was rolled back. Work must use the given transaction and must not do outside I/O.
    /// </summary>
    public Task ExecuteWriteAsync(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> work, bool durable = false,
        CancellationToken cancellationToken = default) =>
        ExecuteWriteAsync<bool>(async (c, t, ct) =>
        {
            await work(c, t, ct).ConfigureAwait(false);
            return true;
        }, durable, cancellationToken);

    public Task<T> ExecuteWriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, bool durable = false,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var request = new WriteRequest<T>(work, durable, cancellationToken);
        if (!writes.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }
        return request.Completion.Task;
    }

    /// <summary>Runs a read on its own pooled connection; WAL lets reads proceed while the writer commits.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies the numbered migrations of one component (migration i is <c>migrations[i-1]</c>) that this file has
    /// not seen yet, recording the version in <c>schema_versions</c>. Refuses a file written by a newer router.
    /// </summary>
    public Task MigrateAsync(string component, IReadOnlyList<string> migrations, CancellationToken cancellationToken = default) =>
        ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await using (var create = connection.CreateCommand())
            {
                create.Transaction = transaction;
                create.CommandText = "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)";
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            long current;
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT version FROM schema_versions WHERE component = $c";
                select.Parameters.AddWithValue("$c", component);
                current = await select.ExecuteScalarAsync(ct).ConfigureAwait(false) is long v ? v : 0;
            }
            if (current > migrations.Count)
            {
                throw new SqliteDatabaseException(
                    $"the database '{Path}' has schema version {current} of '{component}', newer than this router knows ({migrations.Count}); upgrade the router");
            }
            for (var i = (int)current; i < migrations.Count; i++)
            {
                await using var migrate = connection.CreateCommand();
                migrate.Transaction = transaction;
                migrate.CommandText = migrations[i];
                await migrate.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            if (current < migrations.Count)
            {
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_versions (component, version, applied_at) VALUES ($c, $v, $at) " +
                                     "ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at";
                record.Parameters.AddWithValue("$c", component);
                record.Parameters.AddWithValue("$v", migrations.Count);
                record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }, durable: true, cancellationToken);

    private async Task RunWriterAsync()
    {
        var batch = new List<WriteRequest>(options.MaxWritesPerCommit);
        var reader = writes.Reader;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < options.MaxWritesPerCommit && reader.TryRead(out var request))
                {
                    if (request.CancellationToken.IsCancellationRequested)
                    {
                        request.Cancel();
                        continue;
                    }
                    batch.Add(request);
                }
                if (batch.Count > 0)
                {
                    await CommitBatchAsync(batch).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            // The loop itself must not die silently: fail whatever is still queued.
            while (reader.TryRead(out var request))
            {
                request.Fail(e);
            }
        }
    }

    private async Task CommitBatchAsync(List<WriteRequest> batch)
    {
        var durable = !options.SynchronousFull && batch.Exists(r => r.Durable);
        if (durable)
        {
            Execute(writer, "PRAGMA synchronous=FULL;");
        }
        var fsynced = durable || options.SynchronousFull;
        var outcomes = new List<Exception?>(batch.Count);
        try
        {
            await using var transaction = writer.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = "w" + i;
                transaction.Save(savepoint);
                try
                {
                    await batch[i].RunAsync(writer, transaction).ConfigureAwait(false);
                    transaction.Release(savepoint);
                    outcomes.Add(null);
                }
                catch (Exception e)
                {
                    outcomes.Add(e);
                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                }
                if (fsynced && i == batch.Count - 1)
                {
                    // Requests that arrived while this batch ran ride on its fsync instead of waiting for (and paying) the next.
                    TakeLateJoiners(batch);
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception commitFailure)
        {
            foreach (var request in batch)
            {
                request.Fail(commitFailure);
            }
            return;
        }
        finally
        {
            if (durable)
            {
                Execute(writer, BaseSynchronousPragma);
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Succeed();
            }
        }
    }

    private void TakeLateJoiners(List<WriteRequest> batch)
    {
        while (batch.Count < options.MaxWritesPerCommit && writes.Reader.TryRead(out var request))
        {
            if (request.CancellationToken.IsCancellationRequested)
            {
                request.Cancel();
                continue;
            }
            batch.Add(request);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        writes.Writer.TryComplete();
        await writerLoop.ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private abstract class WriteRequest(bool durable, CancellationToken cancellationToken)
    {
        public bool Durable { get; } = durable;
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);
        public abstract void Succeed();
        public abstract void Fail(Exception exception);
        public abstract void Cancel();
    }

    private sealed class WriteRequest<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, bool durable, CancellationToken cancellationToken)
        : WriteRequest(durable, cancellationToken)
    {
        private T? result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            result = await work(connection, transaction, CancellationToken).ConfigureAwait(false);

        public override void Succeed() => Completion.TrySetResult(result!);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        public override void Cancel() => Completion.TrySetCanceled(CancellationToken);
    }
}
