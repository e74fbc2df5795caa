namespace Router.Transport.Common.Signals;

/// <summary>What <see cref="SignalledBackoffStrategy"/> needs from a transport: its signals and how long to wait on them.</summary>
public interface ISignalledReceiver
{
    /// <summary>Set just before a receive slot frees up.</summary>
    WorkSlotSignal WorkSlots { get; }

    /// <summary>Returns when messages may be waiting (a send, an arrival, a due deferral) or after the transport's own bound.</summary>
    Task WaitForMessagesAsync(CancellationToken cancellationToken);

    /// <summary>How long a worker waits for a slot when it was not just woken up (every slot release is signalled first).</summary>
    TimeSpan IdleSlotWait { get; }

    /// <summary>How long it waits right after a wake-up, when the slot is about to be released on another thread.</summary>
    TimeSpan BusySlotWait { get; }

    /// <summary>The pause after a receive threw (the database is busy, the broker is away).</summary>
    TimeSpan ErrorBackoff { get; }
}
