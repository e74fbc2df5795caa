using System.Collections.Concurrent;
using System.Text.Json;

namespace Router.Sandbox.Platform;

/// <summary>What the emulated platform has been sent and accepted, for tests to look at through its GET routes.</summary>
public sealed class PlatformStore
{
    private readonly ConcurrentDictionary<string, StoredOrder> orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonElement> products = new(StringComparer.Ordinal);
    private long lastOrderId;

    public StoredOrder AddOrder(string number, JsonElement order)
    {
        var stored = new StoredOrder($"ord-{Interlocked.Increment(ref lastOrderId):D6}", number, order.Clone());
        // A second order with a known number replaces the first: the platform keys orders by number.
        orders[number] = stored;
        return stored;
    }

    public StoredOrder? FindOrder(string number) => orders.GetValueOrDefault(number);

    public IReadOnlyList<StoredOrder> Orders => orders.Values.OrderBy(o => o.Id, StringComparer.Ordinal).ToList();

    public void UpsertProduct(string id, JsonElement product) => products[id] = product.Clone();

    public int ProductCount => products.Count;

    public void Clear()
    {
        orders.Clear();
        products.Clear();
    }
}

public sealed record StoredOrder(string Id, string Number, JsonElement Order);
