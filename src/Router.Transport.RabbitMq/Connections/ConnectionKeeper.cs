using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Rebus.Logging;

namespace Router.Transport.RabbitMq.Connections;

/// <summary>
/// One AMQP connection for one purpose (consuming or publishing), opened on first use and opened anew on the first
/// use after it was lost. The client's own automatic recovery is off: channels and consumers are recreated by their
/// owners, who then know for certain that deliveries of a dead channel can no longer be acknowledged.
/// </summary>
/// <remarks>
/// Publishing and consuming use separate connections because the broker blocks a connection that publishes while a
/// memory or disk alarm is on: acknowledgements on a shared connection would stall with it.
/// </remarks>
internal sealed class ConnectionKeeper : IAsyncDisposable
{
    private readonly ConnectionFactory factory;
    private readonly string name;
    private readonly ILog log;
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? current;
    private bool disposed;

    public ConnectionKeeper(AmqpConnectionString connectionString, string name, ILog log)
    {
        this.name = name;
        this.log = log;
        Display = connectionString.ToString();
        factory = new ConnectionFactory
        {
            Uri = connectionString.Uri,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = name,
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(15),
            ContinuationTimeout = TimeSpan.FromSeconds(20),
        };
    }

    /// <summary>The broker's address with the password masked.</summary>
    public string Display { get; }

    public bool IsOpen => current is { IsOpen: true };

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (current is { IsOpen: true } open)
        {
            return open;
        }
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (current is { IsOpen: true } opened)
            {
                return opened;
            }
            var previous = current;
            current = null;
            if (previous is not null)
            {
                await DisposeQuietlyAsync(previous).ConfigureAwait(false);
            }
            IConnection connection;
            try
            {
                connection = await factory.CreateConnectionAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new RabbitMqUnavailableException($"cannot connect to RabbitMQ at {Display}: {e.GetBaseException().Message}", e);
            }
            connection.ConnectionShutdownAsync += OnShutdownAsync;
            connection.ConnectionBlockedAsync += OnBlockedAsync;
            connection.ConnectionUnblockedAsync += OnUnblockedAsync;
            current = connection;
            return connection;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            disposed = true;
            if (current is { } connection)
            {
                current = null;
                await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs e)
    {
        if (e.Initiator != ShutdownInitiator.Application)
        {
            log.Warn("RabbitMQ connection {connection} to {broker} was closed: {reason}", name, Display, e.ReplyText);
        }
        return Task.CompletedTask;
    }

    private Task OnBlockedAsync(object sender, ConnectionBlockedEventArgs e)
    {
        log.Warn("RabbitMQ blocks connection {connection} ({reason}): publishes wait, and fail once their confirm timeout passes", name, e.Reason);
        return Task.CompletedTask;
    }

    private Task OnUnblockedAsync(object sender, AsyncEventArgs e)
    {
        log.Info("RabbitMQ unblocked connection {connection}", name);
        return Task.CompletedTask;
    }

    private async Task DisposeQuietlyAsync(IConnection connection)
    {
        connection.ConnectionShutdownAsync -= OnShutdownAsync;
        connection.ConnectionBlockedAsync -= OnBlockedAsync;
        connection.ConnectionUnblockedAsync -= OnUnblockedAsync;
        try
        {
            // A short timeout: a dead or blocked broker must not hold up a reconnect or a shutdown.
            await connection.CloseAsync(Constants.ReplySuccess, "closed by the router", TimeSpan.FromSeconds(2), abort: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Closing RabbitMQ connection {connection} failed: {error}", name, e.Message);
        }
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Disposing RabbitMQ connection {connection} failed: {error}", name, e.Message);
        }
    }
}
