using Rebus.Workers.ThreadPoolBased;

namespace Router.Transport.Common.Signals;

/// <summary>
/// Rebus's worker back-off for our transports: it waits for the transport's signals instead of sleeping fixed steps
/// (Rebus's default naps 100–250 ms whenever a receive finds nothing, which caps a transport at (prefetch +
/// parallelism) messages per nap), so an idle bus stays idle and a busy one never naps.
/// Rebus calls <see cref="WaitAsync"/> when all parallel-operation slots are busy; after a receive found nothing it
/// awaits <see cref="WaitNoMessageAsync"/> still holding its slot; a receive that threw awaits <see cref="WaitErrorAsync"/>.
/// Every wait here ends with "a slot is about to be free", which is what <see cref="Wait"/> waits for, together with
/// the end of a received message's transaction.
/// </summary>
public sealed class SignalledBackoffStrategy(ISignalledReceiver transport) : IBackoffStrategy
{

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

    /// <summary>The queue was empty: wait until something may have arrived (bounded, in case a signal is missed).</summary>
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

    /// <summary>A receive failed: back off before trying again.</summary>
    public async Task WaitErrorAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(transport.ErrorBackoff, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            transport.WorkSlots.Set();
        }
    }

    public void WaitError(CancellationToken token) => token.WaitHandle.WaitOne(transport.ErrorBackoff);

    /// <summary>Nothing to reset: the waits follow signals, not a step cursor.</summary>
    public void Reset()
    {
    }

    private TimeSpan SlotWaitCap() => lastWaitWasWokenUp ? transport.BusySlotWait : transport.IdleSlotWait;
}
