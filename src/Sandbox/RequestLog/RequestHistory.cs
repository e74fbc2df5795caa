namespace Router.Sandbox.RequestLog;

/// <summary>
/// Every request the emulators received, oldest first. Bounded, so a sandbox left running for days does not grow
/// without end; tests read it long before the bound matters.
/// </summary>
public sealed class RequestHistory
{
    public const int Capacity = 10_000;

    private readonly object gate = new();
    private readonly LinkedList<RequestLogEntry> entries = new();
    private readonly Dictionary<long, LinkedListNode<RequestLogEntry>> bySequence = new();
    private readonly TimeProvider clock;
    private long lastSequence;

    public RequestHistory(TimeProvider clock)
    {
        this.clock = clock;
    }

    /// <summary>Records a request as it arrives (so a hanging one is visible) and returns its sequence number.</summary>
    public long Begin(RequestLogEntry entry)
    {
        lock (gate)
        {
            var recorded = entry with { Sequence = ++lastSequence, Time = clock.GetUtcNow(), Outcome = RequestOutcome.Pending };
            bySequence[recorded.Sequence] = entries.AddLast(recorded);
            if (entries.Count > Capacity)
            {
                bySequence.Remove(entries.First!.Value.Sequence);
                entries.RemoveFirst();
            }
            return recorded.Sequence;
        }
    }

    public void Complete(long sequence, Func<RequestLogEntry, RequestLogEntry> update)
    {
        lock (gate)
        {
            if (bySequence.TryGetValue(sequence, out var node))
            {
                node.Value = update(node.Value);
            }
        }
    }

    public IReadOnlyList<RequestLogEntry> Query(RequestLogQuery query)
    {
        lock (gate)
        {
            var matches = entries.Where(query.Matches);
            return (query.Limit is { } limit ? matches.Take(limit) : matches).ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
            bySequence.Clear();
        }
    }
}
