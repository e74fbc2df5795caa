using Npgsql;
using Rebus.Config;
using Rebus.Transport;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Storage.Postgres;
using Router.Transport.PostgreSql;

namespace Router.Host.Transports;

/// <summary>
/// Rebus.PostgreSql's transport (one queue table, <c>router_messages</c>, for every route and delivery queue). When the
/// router's state is in the same database, a handled message's state changes are written in the transaction that
/// removes it from its queue and inserts what it sent: one commit, like the SQLite default. Otherwise (the state
/// elsewhere) they commit in a transaction of their own just before the transport's commit; a crash in between
/// redelivers the message, which the inbox then recognises.
/// </summary>
public sealed class PostgresRouterTransport : IRouterTransport, IPostgresTransactionParticipant
{
    private const string ChangesKey = "router-state-changes";

    private readonly NpgsqlDataSource dataSource;
    private readonly IRouterState state;
    private readonly bool stateInSameTransaction;
    private readonly string description;
    private readonly PostgreSqlTransportOptions options;
    private readonly PostgreSqlQueueTable table;

    private PostgresRouterTransport(string connectionString, IRouterState state)
    {
        dataSource = NpgsqlDataSource.Create(connectionString);
        this.state = state;
        stateInSameTransaction = state is PostgresRouterState postgres && PostgresConnectionStrings.SameDatabase(postgres.ConnectionString, connectionString);
        options = new PostgreSqlTransportOptions
        {
            DataSource = dataSource,
            Schema = PostgreSqlTransportOptions.DefaultSchemaOf(connectionString),
            Participants = [this],
        };
        table = new PostgreSqlQueueTable(dataSource, options.Schema, options.Table);
        description = $"PostgreSQL ({PostgresConnectionStrings.Describe(connectionString)}, table {table.QualifiedName}, " +
                      (stateInSameTransaction ? "state in the same transactions)" : "state committed before each transport commit)");
    }

    public static async Task<PostgresRouterTransport> CreateAsync(string connectionString, IRouterState state, CancellationToken cancellationToken)
    {
        var transport = new PostgresRouterTransport(connectionString, state);
        try
        {
            await transport.table.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cannot prepare the PostgreSQL transport's table on {PostgresConnectionStrings.Describe(connectionString)}: {e.Message}", e);
        }
        return transport;
    }

    public string Name => description;

    public void ConfigureReceiver(StandardConfigurer<ITransport> configurer, string queueName, int parallelism) =>
        configurer.UseRouterPostgreSql(options, queueName);

    public void ConfigureOneWayClient(StandardConfigurer<ITransport> configurer) => configurer.UseRouterPostgreSqlAsOneWayClient(options);

    /// <summary>Deferral is native (a row invisible until due); Rebus.PostgreSql registers what it needs itself.</summary>
    public void ConfigureBus(RebusConfigurer configurer)
    {
    }

    public void EnlistState(ITransactionContext context, StateChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }
        if (!RouterPostgreSqlTransport.HasTransaction(context))
        {
            // Nothing was sent or received in this context, so the transport has no transaction to commit them in.
            context.OnCommit(_ => state.Writer.CommitAsync(changes, CancellationToken.None));
            return;
        }
        if (!context.Items.TryAdd(ChangesKey, changes))
        {
            throw new InvalidOperationException("state changes were already enlisted in this transaction context");
        }
    }

    public Task OnCommittingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken)
    {
        if (!context.Items.TryGetValue(ChangesKey, out var item) || item is not StateChanges changes)
        {
            return Task.CompletedTask;
        }
        return stateInSameTransaction
            ? PostgresStateChangesWriter.WriteAsync(connection, transaction, changes, TimeProvider.System, cancellationToken)
            : state.Writer.CommitAsync(changes, cancellationToken);
    }

    /// <summary>A message being handled still counts as ready here (its receive has not committed): drained means none of either.</summary>
    public async Task<QueueBacklog> GetBacklogAsync(IReadOnlyCollection<string> queueNames, CancellationToken cancellationToken)
    {
        var counts = await table.CountAsync(queueNames, cancellationToken).ConfigureAwait(false);
        return new QueueBacklog(counts.Sum(c => c.Due), 0, counts.Sum(c => c.Deferred));
    }

    public async ValueTask DisposeAsync() => await dataSource.DisposeAsync().ConfigureAwait(false);
}
