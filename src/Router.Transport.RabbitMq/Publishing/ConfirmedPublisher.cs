using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Rebus.Logging;
using Router.Transport.RabbitMq.Connections;

namespace Router.Transport.RabbitMq.Publishing;

/// <summary>
/// Publishes a transaction's messages as one batch on a channel with publisher confirms: all are written first, then
/// their confirms are awaited together (awaiting each in turn would cost a round trip per message). The batch counts
/// as sent only when the broker acknowledged every message; a nack, a return of a mandatory message, a closed channel
/// or a confirm missing after the timeout fails it whole.
/// </summary>
/// <remarks>
/// Concurrent commits share a few channels (the client tracks each publish's confirm by its sequence number), so the
/// broker confirms many commits' messages with one frame instead of one channel and one frame per commit. A channel
/// whose batch timed out still owes confirms; it is replaced, and other batches still waiting on it fail with it
/// (rolled back and retried, never counted as sent).
/// </remarks>
internal sealed class ConfirmedPublisher(ConnectionKeeper connections, TimeSpan confirmTimeout, int channelCount, ILog log) : IAsyncDisposable
{
    private static readonly CreateChannelOptions ConfirmingChannel = new(
        publisherConfirmationsEnabled: true,
        publisherConfirmationTrackingEnabled: true,
        // The batch is the unit of waiting: no client-side throttle on outstanding confirms.
        outstandingPublisherConfirmationsRateLimiter: null);

    private readonly IChannel?[] channels = new IChannel?[Math.Max(1, channelCount)];
    private readonly SemaphoreSlim opening = new(1, 1);
    private int next;

    public async Task PublishAsync(IReadOnlyList<PublishRequest> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var slot = (int)((uint)Interlocked.Increment(ref next) % (uint)channels.Length);
        var channel = await ChannelAsync(slot, cancellationToken).ConfigureAwait(false);
        var pending = new Task[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            // No token per publish: the batch's one timeout below decides, and retiring the channel fails what is left.
            pending[i] = channel.BasicPublishAsync(request.Address.Exchange, request.Address.RoutingKey, request.Mandatory,
                request.Properties, request.Body, CancellationToken.None).AsTask();
        }
        var all = Task.WhenAll(pending);
        var timedOut = false;
        try
        {
            await all.WaitAsync(confirmTimeout, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Given up by the caller: nothing counts as sent, and the confirms still owed must not reach another batch.
            Retire(slot, channel);
            throw;
        }
        catch (Exception)
        {
            // Failed publishes (nack, return) or a dead channel: every task has completed; judged below.
        }
        if (timedOut || !channel.IsOpen)
        {
            // Confirms still owed (or a dead channel): it must not serve the next batches. Closing it fails what waits.
            Retire(slot, channel);
            await SettleAsync(all).ConfigureAwait(false);
        }
        throw Failure(batch, pending, timedOut);
    }

    /// <summary>Waits (briefly) for publishes failed by a retired channel, so the failure can say what became of each.</summary>
    private static async Task SettleAsync(Task all)
    {
        try
        {
            await all.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only the outcome per publish matters, read from the tasks themselves.
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < channels.Length; i++)
        {
            if (Interlocked.Exchange(ref channels[i], null) is { } channel)
            {
                await CloseQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
    }

    private async Task<IChannel> ChannelAsync(int slot, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref channels[slot]) is { IsOpen: true } open)
        {
            return open;
        }
        await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref channels[slot]) is { } existing)
            {
                if (existing.IsOpen)
                {
                    return existing;
                }
                Retire(slot, existing);
            }
            var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
            IChannel created;
            try
            {
                created = await connection.CreateChannelAsync(ConfirmingChannel, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException)
            {
                throw new RabbitMqUnavailableException($"cannot open a publishing channel to RabbitMQ at {connections.Display}: {e.Message}", e);
            }
            Volatile.Write(ref channels[slot], created);
            return created;
        }
        finally
        {
            opening.Release();
        }
    }

    private void Retire(int slot, IChannel channel)
    {
        if (Interlocked.CompareExchange(ref channels[slot], null, channel) == channel)
        {
            // Not awaited: closing a channel of a blocked or dead connection can take until the client's own timeout.
            _ = CloseQuietlyAsync(channel);
        }
    }

    private Exception Failure(IReadOnlyList<PublishRequest> batch, Task[] pending, bool timedOut)
    {
        var returned = new List<string>();
        var nacked = new List<string>();
        var unconfirmed = new List<string>();
        Exception? other = null;
        for (var i = 0; i < pending.Length; i++)
        {
            var task = pending[i];
            switch (task.Exception?.GetBaseException())
            {
                case null when task.IsCompletedSuccessfully:
                    break;
                case null:
                    unconfirmed.Add(batch[i].Describe());
                    break;
                case PublishException { IsReturn: true }:
                    returned.Add(batch[i].Describe());
                    break;
                case PublishException:
                    nacked.Add(batch[i].Describe());
                    break;
                case OperationCanceledException:
                    unconfirmed.Add(batch[i].Describe());
                    break;
                case var e:
                    other ??= e;
                    unconfirmed.Add(batch[i].Describe());
                    break;
            }
        }
        var parts = new List<string>();
        if (returned.Count > 0)
        {
            parts.Add($"{returned.Count} returned as unroutable (no queue is bound for them): {Sample(returned)}");
        }
        if (nacked.Count > 0)
        {
            parts.Add($"{nacked.Count} refused by the broker (nack): {Sample(nacked)}");
        }
        if (unconfirmed.Count > 0)
        {
            var why = timedOut ? $"not confirmed within {confirmTimeout.TotalSeconds:0.###} s" : $"not confirmed ({other?.Message ?? "the channel closed"})";
            parts.Add($"{unconfirmed.Count} {why}: {Sample(unconfirmed)}");
        }
        var message = $"RabbitMQ did not accept {returned.Count + nacked.Count + unconfirmed.Count} of {batch.Count} message(s); the transaction is rolled back: {string.Join("; ", parts)}";
        log.Warn("{error}", message);
        return new RabbitMqPublishException(message, other);
    }

    private static string Sample(List<string> items) =>
        items.Count <= 3 ? string.Join(", ", items) : string.Join(", ", items.Take(3)) + $" and {items.Count - 3} more";

    private async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Debug("Closing a RabbitMQ publishing channel failed: {error}", e.Message);
        }
    }
}
