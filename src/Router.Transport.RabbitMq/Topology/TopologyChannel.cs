using RabbitMQ.Client;
using Rebus.Logging;
using Router.Transport.RabbitMq.Connections;

namespace Router.Transport.RabbitMq.Topology;

/// <summary>
/// A channel for declarations, bindings and passive look-ups, used one operation at a time. The broker closes a
/// channel on a failed declaration (a missing queue, inequivalent arguments), so after any failure the next
/// operation gets a fresh one.
/// </summary>
internal sealed class TopologyChannel(ConnectionKeeper connections, ILog log) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IChannel? channel;

    public async Task<T> RunAsync<T>(Func<IChannel, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (channel is not { IsOpen: true })
            {
                await DropAsync().ConfigureAwait(false);
                var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
                channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            try
            {
                return await operation(channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await DropAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public Task RunAsync(Func<IChannel, CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async (c, ct) =>
        {
            await operation(c, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DropAsync()
    {
        if (channel is null)
        {
            return;
        }
        var dropped = channel;
        channel = null;
        try
        {
            if (dropped.IsOpen)
            {
                await dropped.CloseAsync().ConfigureAwait(false);
            }
            await dropped.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Closing a RabbitMQ topology channel failed: {error}", e.Message);
        }
    }
}
