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

    public long Version => Interlocked.Read(ref version);

    public void Pulse()
    {
        // Version first, then the swap: a waiter that still got the old source will see the new version.
        Interlocked.Increment(ref version);
        Interlocked.Exchange(ref changed, NewSource()).TrySetResult();
    }

    /// <summary>Waits until the version differs from <paramref name="seenVersion"/>; false when the timeout ran out first.</summary>
    public async Task<bool> WaitForChangeAsync(long seenVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = Volatile.Read(ref changed);
        if (Version != seenVersion)
        {
            return true;
        }
        try
        {
            await source.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
