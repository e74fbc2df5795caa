using Npgsql;
using Rebus.Messages;

namespace Router.Transport.PostgreSql;

/// <summary>
/// One connection and transaction per Rebus transaction context, opened by <see cref="RouterPostgreSqlTransport"/> and
/// lent to Rebus.PostgreSql's transport (through <see cref="SharedTransactionConnectionProvider"/>) as "managed
/// externally", so the receive's DELETE, the sends' INSERTs and the participants' rows commit or roll back together.
/// </summary>
internal sealed class SharedTransaction : IDisposable
{
    private static readonly AsyncLocal<SharedTransaction?> Lending = new();
    private readonly List<(string Destination, TransportMessage Message)> pendingSends = [];
    private int finished;

    private SharedTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, bool receiving, DateTimeOffset began)
    {
        Connection = connection;
        Transaction = transaction;
        Receiving = receiving;
        Began = began;
    }

    /// <summary>The transaction being lent to the inner transport in this async flow, if any.</summary>
    public static SharedTransaction? Lent
    {
        get => Lending.Value;
        set => Lending.Value = value;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>A message was received in it: it commits on Rebus's acknowledgement, and its sends wait for the commit.</summary>
    public bool Receiving { get; }

    /// <summary>
    /// No later than the transaction's start on the server, whose <c>now()</c> is what Rebus.PostgreSql counts a
    /// deferral from; the difference to the moment of sending is added back (see <see cref="RouterPostgreSqlTransport"/>).
    /// </summary>
    public DateTimeOffset Began { get; }

    /// <summary>Raised once, when the transaction was committed or rolled back and its connection went back to the pool.</summary>
    public event Action? Finished;

    public static async Task<SharedTransaction> BeginAsync(NpgsqlDataSource dataSource, bool receiving, CancellationToken cancellationToken)
    {
        var began = DateTimeOffset.UtcNow;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            return new SharedTransaction(connection, transaction, receiving, began);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Holds a send of a receiving context until commit, so a handler that fails sends nothing (Rebus.PostgreSql issue 53).</summary>
    public void Hold(string destination, TransportMessage message)
    {
        lock (pendingSends)
        {
            pendingSends.Add((destination, message));
        }
    }

    public IReadOnlyList<(string Destination, TransportMessage Message)> TakeHeldSends()
    {
        lock (pendingSends)
        {
            var sends = pendingSends.ToList();
            pendingSends.Clear();
            return sends;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Dispose();
    }

    /// <summary>
    /// Rolls back what was not committed and returns the connection to the pool. Synchronous because Rebus's
    /// OnDisposed and a transport's Dispose are; after a commit it has no round trip left to make.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }
        try
        {
            Transaction.Dispose();
            Connection.Dispose();
        }
        finally
        {
            Finished?.Invoke();
        }
    }
}
