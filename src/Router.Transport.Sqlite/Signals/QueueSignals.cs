using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Router.Transport.Sqlite.Database;

namespace Router.Transport.Sqlite.Signals;

/// <summary>
/// The queue signals of one database within this process, shared by every transport on it, so a one-way client's
/// send wakes the bus that reads that queue. Other processes' sends are only seen by polling.
/// </summary>
internal sealed class QueueSignals
{
    private static readonly ConditionalWeakTable<SqliteDatabase, QueueSignals> PerDatabase = new();

    private readonly ConcurrentDictionary<string, QueueSignal> signals = new(StringComparer.Ordinal);

    public static QueueSignals Of(SqliteDatabase database) => PerDatabase.GetValue(database, _ => new QueueSignals());

    public QueueSignal For(string queue) => signals.GetOrAdd(queue, _ => new QueueSignal());

    public void Pulse(IEnumerable<string> queues)
    {
        foreach (var queue in queues.Distinct(StringComparer.Ordinal))
        {
            // Only queues somebody listens to have a signal; nobody to wake for the others.
            if (signals.TryGetValue(queue, out var signal))
            {
                signal.Pulse();
            }
        }
    }
}
