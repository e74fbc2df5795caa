namespace Router.Transport.RabbitMq.Signals;

/// <summary>
/// "A delivery arrived (or the consumer came back)": pulsed by the consumer callback. A version number closes the gap
/// between "the receive found the buffer empty" and "the worker starts waiting": a waiter passes the version it saw
/// before that receive and returns at once if a pulse came in between.
/// </summary>
internal sealed class ArrivalSignal
{
    private TaskCompletionSource changed = NewSource();
    private long version;
    private int waiters;

    public long Version => Interlocked.Read(ref version);

    public void Pulse()
    {
        // Version first, then the swap: a waiter that still got the old source will see the new version. Without
        // waiters there is nothing to wake (a busy consumer pulses per delivery): the version alone records it.
        Interlocked.Increment(ref version);
        if (Volatile.Read(ref waiters) > 0)
        {
            Interlocked.Exchange(ref changed, NewSource()).TrySetResult();
        }
    }

    /// <summary>Waits until the version differs from <paramref name="seenVersion"/>; false when the timeout ran out first.</summary>
    public async Task<bool> WaitForChangeAsync(long seenVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Counted before reading the source and the version: a pulse after this either sees the waiter and swaps, or
        // came before the version check below.
        Interlocked.Increment(ref waiters);
        try
        {
            var source = Volatile.Read(ref changed);
            if (Version != seenVersion)
            {
                return true;
            }
            await source.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref waiters);
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
