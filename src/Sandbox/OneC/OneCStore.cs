using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Router.Sandbox.OneC;

/// <summary>An object the emulated 1C holds: its reference (Ref_Key), its version (DataVersion) and what it was sent.</summary>
public sealed record OneCObject(Guid RefKey, long Version, string Code, JsonElement Data, DateTimeOffset ReceivedAt)
{
    /// <summary>1C's optimistic-concurrency token: opaque base64, changing with every write.</summary>
    public string DataVersion => Convert.ToBase64String(BitConverter.GetBytes(Version));
}

/// <summary>
/// The orders (keyed by number) and customers (keyed by their id) the emulated 1C received through its HTTP
/// service. Writing a known key replaces the object and bumps its version: 1C's documents are identified by number,
/// so a re-sent order must not become a second document.
/// </summary>
public sealed class OneCStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, OneCObject> orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OneCObject> customers = new(StringComparer.Ordinal);
    private long lastCode;

    /// <summary>Stores the order; true when it was new.</summary>
    public bool PutOrder(string number, JsonElement order, DateTimeOffset now) => Put(orders, "order:" + number, number, order, now);

    public bool PutCustomer(string id, JsonElement customer, DateTimeOffset now) => Put(customers, "customer:" + id, id, customer, now);

    public OneCObject? FindOrder(string number)
    {
        lock (gate)
        {
            return orders.GetValueOrDefault(number);
        }
    }

    public IReadOnlyList<OneCObject> Orders
    {
        get
        {
            lock (gate)
            {
                return orders.Values.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();
            }
        }
    }

    public IReadOnlyList<OneCObject> Customers
    {
        get
        {
            lock (gate)
            {
                return customers.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            }
        }
    }

    public OneCObject? FindCustomer(string id)
    {
        lock (gate)
        {
            return customers.GetValueOrDefault(id);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            orders.Clear();
            customers.Clear();
        }
    }

    /// <summary>The same key always gets the same reference, as a 1C object keeps its Ref_Key for life.</summary>
    public static Guid RefKeyOf(string identity)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return new Guid(hash.AsSpan(0, 16));
    }

    private bool Put(Dictionary<string, OneCObject> objects, string identity, string key, JsonElement data, DateTimeOffset now)
    {
        lock (gate)
        {
            if (objects.TryGetValue(key, out var existing))
            {
                objects[key] = existing with { Version = existing.Version + 1, Data = data.Clone(), ReceivedAt = now };
                return false;
            }
            objects[key] = new OneCObject(RefKeyOf(identity), 1, $"00-{++lastCode:D8}", data.Clone(), now);
            return true;
        }
    }
}
