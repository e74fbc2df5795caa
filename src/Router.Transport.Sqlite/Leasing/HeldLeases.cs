using System.Collections.Concurrent;
using System.Text;

namespace Router.Transport.Sqlite.Leasing;

/// <summary>The rows this transport holds a lease on (prefetched or being handled): what the renewal timer keeps alive.</summary>
internal sealed class HeldLeases
{
    private readonly ConcurrentDictionary<long, byte> ids = new();

    public void Add(long id) => ids.TryAdd(id, 0);

    public void Remove(long id) => ids.TryRemove(id, out _);

    public bool IsEmpty => ids.IsEmpty;

    public string ToJsonArray()
    {
        var json = new StringBuilder("[");
        foreach (var id in ids.Keys)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            json.Append(id);
        }
        return json.Append(']').ToString();
    }
}
