using RabbitMQ.Client;
using Serilog;

namespace Router.Endpoints.RabbitMq;

/// <summary>
/// One connection and one channel to a partner's broker, opened on first use and opened anew after either was lost.
/// The client's automatic recovery is off on purpose: a delivery tag belongs to its channel, so after a loss the
/// endpoint starts over (the broker has requeued what it had not acknowledged) instead of acking on a recovered one.
/// </summary>
internal sealed class AmqpChannelHolder(RabbitMqEndpointOptions options, string name, CreateChannelOptions? channelOptions, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;
    private IChannel? channel;

    public async Task<IChannel> GetAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open)
        {
            return open;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (channel is { IsOpen: true } opened)
            {
                return opened;
            }
            await DropChannelAsync();
            if (connection is not { IsOpen: true })
            {
                await DropConnectionAsync();
                var factory = new ConnectionFactory
                {
                    Uri = options.Broker,
                    AutomaticRecoveryEnabled = false,
                    TopologyRecoveryEnabled = false,
                    ClientProvidedName = name,
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(15),
                };
                connection = await factory.CreateConnectionAsync(cancellationToken);
            }
            channel = await connection.CreateChannelAsync(channelOptions, cancellationToken);
            return channel;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops the channel (e.g. it still owes confirms that timed out); the next use opens a fresh one.</summary>
    public async Task ResetAsync()
    {
        await gate.WaitAsync();
        try
        {
            await DropChannelAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            await DropChannelAsync();
            await DropConnectionAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DropChannelAsync()
    {
        var dropped = channel;
        channel = null;
        if (dropped is null)
        {
            return;
        }
        try
        {
            if (dropped.IsOpen)
            {
                await dropped.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            await dropped.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.Debug("Closing an AMQP channel to {Broker} failed: {Error}", options.DisplayBroker, e.Message);
        }
    }

    private async Task DropConnectionAsync()
    {
        var dropped = connection;
        connection = null;
        if (dropped is null)
        {
            return;
        }
        try
        {
            await dropped.CloseAsync(Constants.ReplySuccess, "closed by the router", TimeSpan.FromSeconds(2), abort: true);
            await dropped.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.Debug("Closing the AMQP connection to {Broker} failed: {Error}", options.DisplayBroker, e.Message);
        }
    }
}
