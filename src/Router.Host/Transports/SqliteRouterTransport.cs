using Microsoft.Data.Sqlite;
using Rebus.Config;
using Rebus.Transport;
using Router.Core.Config.Model;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Sagas;
using Router.Storage.Sqlite;
using Router.Transport.Sqlite;
using Router.Transport.Sqlite.Database;
using Router.Transport.Sqlite.Inspection;

namespace Router.Host.Transports;

/// <summary>
/// The embedded default: our Rebus transport on SQLite, in the same file as the router's state. A handled
/// message's inbox entry, journal rows, dead letters and outgoing messages commit in the one transaction that
/// removes it from its queue — a real transactional outbox on one machine.
/// </summary>
public sealed class SqliteRouterTransport : IRouterTransport, ISqliteTransactionParticipant
{
    private const string ChangesKey = "router-state-changes";

    // Rebus's AbstractRebusTransport keeps a context's pending sends under this key (see rebus-notes §1.2); if it is
    // there, the transport will write a commit request and call us inside it.
    private const string RebusOutgoingMessagesKey = "outgoing-messages";

    private readonly SqliteDatabase database;
    private readonly IRouterState state;
    private readonly TransportSettings settings;
    private readonly SqliteQueues queues;

    private SqliteRouterTransport(SqliteDatabase database, IRouterState state, TransportSettings settings)
    {
        this.database = database;
        this.state = state;
        this.settings = settings;
        queues = new SqliteQueues(database);
        Sagas = new SqliteSagaStorage(database, enlisted: true);
    }

    /// <summary>Saga state in the same database, written in the transaction of the message that changed it.</summary>
    public SqliteSagaStorage Sagas { get; private set; }

    public static async Task<SqliteRouterTransport> CreateAsync(SqliteDatabase database, IRouterState state, TransportSettings settings,
        CancellationToken cancellationToken)
    {
        var transport = new SqliteRouterTransport(database, state, settings);
        await transport.queues.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        transport.Sagas = await SqliteSagaStorage.CreateAsync(database, enlisted: true, cancellationToken).ConfigureAwait(false);
        return transport;
    }

    public string Name => $"SQLite ({database.Path}, {(database.SynchronousFull ? "every commit fsynced" : "hand-offs fsynced")})";

    public void ConfigureReceiver(StandardConfigurer<ITransport> configurer, string queueName, int parallelism) =>
        configurer.UseSqlite(database, queueName)
            .Prefetch(Math.Max(1, parallelism))
            .Lease(settings.Lease)
            .PollInterval(settings.PollInterval)
            .AddParticipant(this)
            .AddParticipant(Sagas);

    public void ConfigureOneWayClient(StandardConfigurer<ITransport> configurer) =>
        configurer.UseSqliteAsOneWayClient(database).AddParticipant(this);

    /// <summary>Deferral is native in the SQLite transport; nothing to add.</summary>
    public void ConfigureBus(RebusConfigurer configurer)
    {
    }

    public void EnlistState(ITransactionContext context, StateChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }
        var receivedHere = Rebus.Pipeline.MessageContext.Current?.TransactionContext == context;
        if (receivedHere || context.Items.ContainsKey(RebusOutgoingMessagesKey))
        {
            if (!context.Items.TryAdd(ChangesKey, changes))
            {
                throw new InvalidOperationException("state changes were already enlisted in this transaction context");
            }
            return;
        }
        // Nothing goes through the transport in this context, so it writes nothing: commit the state on its own.
        context.OnCommit(_ => state.Writer.CommitAsync(changes, CancellationToken.None));
    }

    public Task OnCommittingAsync(SqliteConnection connection, SqliteTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken) =>
        context.Items.TryGetValue(ChangesKey, out var item) && item is StateChanges changes
            ? SqliteStateChangesWriter.WriteAsync(connection, transaction, changes, TimeProvider.System, cancellationToken)
            : Task.CompletedTask;

    public async Task<QueueBacklog> GetBacklogAsync(IReadOnlyCollection<string> queueNames, CancellationToken cancellationToken)
    {
        var wanted = queueNames.ToHashSet(StringComparer.Ordinal);
        var counts = (await queues.GetAllCountsAsync(cancellationToken).ConfigureAwait(false)).Where(c => wanted.Contains(c.Queue)).ToList();
        return new QueueBacklog(
            counts.Sum(c => c.Ready),
            counts.Sum(c => c.Leased),
            counts.Sum(c => c.Deferred));
    }

    public async ValueTask DisposeAsync() => await database.DisposeAsync().ConfigureAwait(false);
}
