using System.Globalization;
using System.Text.Json.Nodes;

namespace Router.Sandbox.Cdek;

/// <summary>One order as the emulated CDEK holds it: the body it was created with, its requests and status history.</summary>
public sealed class CdekOrder
{
    public required string Uuid { get; init; }
    public required JsonObject Body { get; init; }
    public string? Number => Body["number"]?.ToString();
    public string? CdekNumber { get; set; }
    public List<CdekOrderRequest> Requests { get; } = [];
    public List<CdekOrderStatus> Statuses { get; } = [];
    public bool Refused { get; set; }

    /// <summary>The position in the auto-progress timeline.</summary>
    public int TimelineStep { get; set; }

    public string? CurrentCode => Statuses.Count == 0 ? null : Statuses[^1].Code;
}

public sealed class CdekOrderRequest
{
    public required string RequestUuid { get; init; }
    public required string Type { get; init; }
    public string State { get; set; } = "ACCEPTED";
    public required DateTimeOffset DateTime { get; init; }
    public List<(string Code, string Message)> Errors { get; } = [];
}

public sealed record CdekOrderStatus(string Code, string Name, DateTimeOffset DateTime, string? City);

/// <summary>The emulated CDEK's orders, thread-safe behind one lock (the sandbox is a test double, not a database).</summary>
public sealed class CdekStore
{
    private readonly object gate = new();
    private readonly List<CdekOrder> orders = [];
    private long nextCdekNumber = 1106000001;

    public IReadOnlyList<CdekOrder> Orders
    {
        get
        {
            lock (gate)
            {
                return orders.ToList();
            }
        }
    }

    public void Add(CdekOrder order)
    {
        lock (gate)
        {
            orders.Add(order);
        }
    }

    public CdekOrder? Find(string uuid)
    {
        lock (gate)
        {
            return orders.FirstOrDefault(o => o.Uuid == uuid);
        }
    }

    /// <summary>The latest order with this shop number (CDEK shows the newest when several share it).</summary>
    public CdekOrder? FindByNumber(string number)
    {
        lock (gate)
        {
            return orders.LastOrDefault(o => o.Number == number);
        }
    }

    public CdekOrder? FindByCdekNumber(string cdekNumber)
    {
        lock (gate)
        {
            return orders.FirstOrDefault(o => o.CdekNumber == cdekNumber);
        }
    }

    public string NextCdekNumber()
    {
        lock (gate)
        {
            return (nextCdekNumber++).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Runs <paramref name="change"/> under the store's lock, so a background step and a request never interleave on one order.</summary>
    public T Update<T>(Func<T> change)
    {
        lock (gate)
        {
            return change();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            orders.Clear();
            nextCdekNumber = 1106000001;
        }
    }
}
