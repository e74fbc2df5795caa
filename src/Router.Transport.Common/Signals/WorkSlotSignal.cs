namespace Router.Transport.Common.Signals;

/// <summary>
/// "A receive slot is about to be free": set when a received message's transaction is disposed and when a
/// no-message or error wait ends — the moments just before Rebus gives back a parallel-operation slot. Rebus's
/// worker thread waits on it when all slots are busy instead of napping a fixed back-off.
/// </summary>
public sealed class WorkSlotSignal
{
    private readonly SemaphoreSlim slotFreed = new(0, 1);

    public void Set()
    {
        if (slotFreed.CurrentCount > 0)
        {
            return;
        }
        try
        {
            slotFreed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another completion set it a moment ago: one wake-up is enough, the worker loops while slots are free.
        }
    }

    /// <summary>Blocks the calling (worker) thread; Rebus calls this wait synchronously.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken) => slotFreed.Wait(timeout, cancellationToken);

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => slotFreed.WaitAsync(timeout, cancellationToken);
}
