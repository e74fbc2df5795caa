using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Router.Transport.RabbitMq.Inspection;

/// <summary>
/// Messages per queue that receivers in this process hold unacknowledged (prefetched or being handled). The broker
/// only reports ready messages cheaply; together they say whether a queue is drained — for this process's receivers.
/// </summary>
public sealed class InFlightCounts
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> counts = new(StringComparer.Ordinal);

    public long Of(string queue) => counts.TryGetValue(queue, out var box) ? Interlocked.Read(ref box.Value) : 0;

    internal void Add(string queue, long delta) => Interlocked.Add(ref counts.GetOrAdd(queue, _ => new StrongBox<long>()).Value, delta);

}
