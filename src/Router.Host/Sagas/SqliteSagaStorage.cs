using System.Globalization;
using Microsoft.Data.Sqlite;
using Rebus.Config;
using Rebus.Exceptions;
using Rebus.Pipeline;
using Rebus.Sagas;
using Rebus.Transport;
using Router.Core.Messages;
using Router.Core.Sagas;
using Router.Transport.Sqlite;
using Router.Transport.Sqlite.Database;

namespace Router.Host.Sagas;

/// <summary>
/// Rebus saga storage in the router's SQLite database. On the SQLite transport (<paramref name="enlisted"/>) an
/// insert or update is only remembered on the message's transaction context and written by
/// <see cref="OnCommittingAsync"/> inside the transaction that removes the message from its queue and inserts what
/// the saga sent: state, commands and journal commit together or not at all. Otherwise (another transport with the
/// state in SQLite) each write commits on its own, like Rebus's own storages do.
/// Optimistic concurrency: an update names the revision it read; if another message moved it on first, or two
/// messages try to start the same saga, the write fails with Rebus's <see cref="ConcurrencyException"/> and the
/// message is handled again on the new state.
/// </summary>
public sealed class SqliteSagaStorage : ISagaStorage, ISagaStorageFactory, ISqliteTransactionParticipant
{
    private const string PendingKey = "router-saga-writes";
    private const string Component = "sagas";

    private static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE saga_data (id TEXT PRIMARY KEY, saga_type TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE saga_index (saga_type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, saga_id TEXT NOT NULL, PRIMARY KEY (saga_type, key, value));
        CREATE INDEX saga_index_by_saga ON saga_index (saga_id);
        """,
    ];

    private readonly SqliteDatabase database;
    private readonly bool enlisted;

    // Created on first use, so a storage built where nothing can be awaited still finds its tables.
    private readonly Lazy<Task> schema;

    public SqliteSagaStorage(SqliteDatabase database, bool enlisted)
    {
        this.database = database;
        this.enlisted = enlisted;
        schema = new Lazy<Task>(() => database.MigrateAsync(Component, Migrations));
    }

    public string Name => enlisted ? "SQLite (in the transport's transactions)" : "SQLite";

    public static async Task<SqliteSagaStorage> CreateAsync(SqliteDatabase database, bool enlisted, CancellationToken cancellationToken)
    {
        var storage = new SqliteSagaStorage(database, enlisted);
        await storage.schema.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return storage;
    }

    public void Configure(StandardConfigurer<ISagaStorage> configurer) => configurer.Register(_ => this);

    public async Task<ISagaData?> Find(Type sagaDataType, string propertyName, object propertyValue)
    {
        await schema.Value.ConfigureAwait(false);
        return await database.ReadAsync<ISagaData?>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            if (propertyName == nameof(ISagaData.Id))
            {
                command.CommandText = "SELECT data, revision FROM saga_data WHERE id = $id AND saga_type = $type";
                command.Parameters.AddWithValue("$id", IdText(propertyValue));
            }
            else
            {
                command.CommandText = """
                    SELECT d.data, d.revision FROM saga_index i JOIN saga_data d ON d.id = i.saga_id
                    WHERE i.saga_type = $type AND i.key = $key AND i.value = $value
                    """;
                command.Parameters.AddWithValue("$key", propertyName);
                command.Parameters.AddWithValue("$value", ValueText(propertyValue));
            }
            command.Parameters.AddWithValue("$type", TypeName(sagaDataType));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
            var data = (ISagaData)System.Text.Json.JsonSerializer.Deserialize(reader.GetString(0), sagaDataType, RouterJson.Options)!;
            // The column is the truth: the revision in the JSON was the one before the write that stored it.
            data.Revision = reader.GetInt32(1);
            return data;
        }).ConfigureAwait(false);
    }

    public Task Insert(ISagaData sagaData, IEnumerable<ISagaCorrelationProperty> correlationProperties)
    {
        if (sagaData.Id == Guid.Empty)
        {
            throw new InvalidOperationException($"saga data {sagaData.GetType().Name} has no id");
        }
        if (sagaData.Revision != 0)
        {
            throw new InvalidOperationException($"saga {sagaData.Id} is new, so its revision must be 0, not {sagaData.Revision}");
        }
        return Write(new SagaWrite(SagaWriteKind.Insert, sagaData.Id, TypeName(sagaData.GetType()), 0, 0, Serialize(sagaData), IndexOf(sagaData, correlationProperties)));
    }

    public Task Update(ISagaData sagaData, IEnumerable<ISagaCorrelationProperty> correlationProperties)
    {
        var expected = sagaData.Revision;
        sagaData.Revision++;
        return Write(new SagaWrite(SagaWriteKind.Update, sagaData.Id, TypeName(sagaData.GetType()), expected, sagaData.Revision, Serialize(sagaData),
            IndexOf(sagaData, correlationProperties)));
    }

    public Task Delete(ISagaData sagaData) =>
        Write(new SagaWrite(SagaWriteKind.Delete, sagaData.Id, TypeName(sagaData.GetType()), sagaData.Revision, sagaData.Revision, "", []));

    private async Task Write(SagaWrite write)
    {
        if (enlisted && (MessageContext.Current?.TransactionContext ?? AmbientTransactionContext.Current) is { } context)
        {
            var pending = (List<SagaWrite>)context.Items.GetOrAdd(PendingKey, _ => new List<SagaWrite>());
            pending.Add(write);
            return;
        }
        await schema.Value.ConfigureAwait(false);
        await database.ExecuteWriteAsync((connection, transaction, ct) => ApplyAsync(connection, transaction, write, ct)).ConfigureAwait(false);
    }

    public async Task OnCommittingAsync(SqliteConnection connection, SqliteTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken)
    {
        if (!context.Items.TryGetValue(PendingKey, out var item) || item is not List<SagaWrite> pending)
        {
            return;
        }
        foreach (var write in pending)
        {
            await ApplyAsync(connection, transaction, write, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, SagaWrite write, CancellationToken cancellationToken)
    {
        var id = write.Id.ToString("D");
        try
        {
            switch (write.Kind)
            {
                case SagaWriteKind.Insert:
                    await ExecuteAsync(connection, transaction,
                        "INSERT INTO saga_data (id, saga_type, revision, data, updated_at) VALUES ($id, $type, 0, $data, $now)",
                        cancellationToken, ("$id", id), ("$type", write.SagaType), ("$data", write.Data), ("$now", Now())).ConfigureAwait(false);
                    break;
                case SagaWriteKind.Update:
                    var updated = await ExecuteAsync(connection, transaction,
                        "UPDATE saga_data SET revision = $new, data = $data, updated_at = $now WHERE id = $id AND revision = $expected",
                        cancellationToken, ("$id", id), ("$new", write.NewRevision), ("$expected", write.ExpectedRevision), ("$data", write.Data), ("$now", Now()))
                        .ConfigureAwait(false);
                    if (updated == 0)
                    {
                        throw new ConcurrencyException($"saga {id} ({write.SagaType}) was changed by another message since revision {write.ExpectedRevision} was read");
                    }
                    await ExecuteAsync(connection, transaction, "DELETE FROM saga_index WHERE saga_id = $id", cancellationToken, ("$id", id)).ConfigureAwait(false);
                    break;
                case SagaWriteKind.Delete:
                    var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM saga_data WHERE id = $id AND revision = $expected",
                        cancellationToken, ("$id", id), ("$expected", write.ExpectedRevision)).ConfigureAwait(false);
                    if (deleted == 0)
                    {
                        throw new ConcurrencyException($"saga {id} ({write.SagaType}) was changed by another message since revision {write.ExpectedRevision} was read");
                    }
                    await ExecuteAsync(connection, transaction, "DELETE FROM saga_index WHERE saga_id = $id", cancellationToken, ("$id", id)).ConfigureAwait(false);
                    return;
            }
            foreach (var (key, value) in write.Index)
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO saga_index (saga_type, key, value, saga_id) VALUES ($type, $key, $value, $id)",
                    cancellationToken, ("$type", write.SagaType), ("$key", key), ("$value", value), ("$id", id)).ConfigureAwait(false);
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: another message started a saga with the same correlation first.
            throw new ConcurrencyException($"saga {id} ({write.SagaType}) could not be stored: another saga with the same correlation was stored first ({e.Message})");
        }
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(string Key, string Value)> IndexOf(ISagaData data, IEnumerable<ISagaCorrelationProperty> properties) =>
        properties.Select(p => p.PropertyName).Where(name => name != nameof(ISagaData.Id)).Distinct(StringComparer.Ordinal)
            .Select(name => (name, ValueText(data.GetType().GetProperty(name)?.GetValue(data)
                ?? throw new InvalidOperationException($"saga {data.Id}: correlation property {name} has no value"))))
            .ToList();

    private static string Serialize(ISagaData data) => System.Text.Json.JsonSerializer.Serialize(data, data.GetType(), RouterJson.Options);

    private static string TypeName(Type type) => type.FullName ?? type.Name;

    private static string IdText(object value) => value is Guid g ? g.ToString("D") : Guid.Parse(value.ToString()!).ToString("D");

    private static string ValueText(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private enum SagaWriteKind { Insert, Update, Delete }

    private sealed record SagaWrite(SagaWriteKind Kind, Guid Id, string SagaType, int ExpectedRevision, int NewRevision, string Data,
        IReadOnlyList<(string Key, string Value)> Index);
}
