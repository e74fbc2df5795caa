using Rebus.Workers.ThreadPoolBased;

namespace Router.Transport.RabbitMq.Backoff;

/// <summary>
/// Rebus's worker back-off for a bus on <see cref="RabbitMqTransport"/>: it waits for the consumer's arrival signal
/// instead of sleeping fixed steps (Rebus's default naps 100–250 ms whenever a receive finds nothing, which caps a
/// transport at (prefetch + parallelism) messages per nap), so an idle bus stays idle and a busy one never naps.
/// </summary>
/// <remarks>
/// How Rebus 8.9's ThreadPoolWorker calls it: its worker thread calls <see cref="Wait"/> (synchronously) whenever all
/// parallel-operation slots are taken; a receive that returned nothing awaits <see cref="WaitNoMessageAsync"/> while
/// still holding its slot; a receive that threw awaits <see cref="WaitErrorAsync"/>. Every wait here ends with "a slot
/// is about to be free", which is what <see cref="Wait"/> waits for, together with the end of a received message's
/// transaction.
/// </remarks>
public sealed class RabbitMqBackoffStrategy(RabbitMqTransport transport) : IBackoffStrategy
{
    private readonly RabbitMqTransportOptions options = transport.Options;

    // After a wake-up the slot is released a moment later on another thread; if the worker got there first it looks
    // again soon. Otherwise it can wait long: every slot release is preceded by a signal.
    private volatile bool lastWaitWasWokenUp;

    public void Wait(CancellationToken token)
    {
        try
        {
            lastWaitWasWokenUp = transport.WorkSlots.Wait(SlotWaitCap(), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    public async Task WaitAsync(CancellationToken token)
    {
        try
        {
            lastWaitWasWokenUp = await transport.WorkSlots.WaitAsync(SlotWaitCap(), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Nothing was buffered: wait for the consumer to deliver something (bounded, in case a signal is missed).</summary>
    public async Task WaitNoMessageAsync(CancellationToken token)
    {
        try
        {
            await transport.WaitForMessagesAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            transport.WorkSlots.Set();
        }
    }

    public void WaitNoMessage(CancellationToken token) => WaitNoMessageAsync(token).GetAwaiter().GetResult();

    /// <summary>A receive failed (the broker is away, the queue cannot be declared): back off before trying again.</summary>
    public async Task WaitErrorAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(options.ErrorBackoffValue, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            transport.WorkSlots.Set();
        }
    }

    public void WaitError(CancellationToken token) => token.WaitHandle.WaitOne(options.ErrorBackoffValue);

    /// <summary>Nothing to reset: the waits follow signals, not a step cursor.</summary>
    public void Reset()
    {
    }

    private TimeSpan SlotWaitCap() => lastWaitWasWokenUp ? options.BusyWaitCap : options.IdleWaitCap;
}
