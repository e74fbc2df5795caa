using System.Globalization;
using System.Text;

namespace Router.Sandbox.RequestLog;

/// <summary>Filters for the request log; every one that is set must match.</summary>
public sealed record RequestLogQuery
{
    public string? Emulator { get; init; }
    public string? Method { get; init; }

    /// <summary>Exact path, e.g. <c>/platform/orders</c>.</summary>
    public string? Path { get; init; }

    public string? IdempotencyKey { get; init; }
    public int? Status { get; init; }
    public bool? Repeat { get; init; }

    /// <summary>Only entries with a higher sequence number: read what arrived since the last look.</summary>
    public long? After { get; init; }

    public int? Limit { get; init; }

    public bool Matches(RequestLogEntry entry) =>
        (Emulator is null || entry.Emulator == Emulator)
        && (Method is null || string.Equals(entry.Method, Method, StringComparison.OrdinalIgnoreCase))
        && (Path is null || entry.Path == Path)
        && (IdempotencyKey is null || entry.IdempotencyKey == IdempotencyKey)
        && (Status is null || entry.Status == Status)
        && (Repeat is null || entry.Repeat == Repeat)
        && (After is null || entry.Sequence > After);

    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("emulator", Emulator);
        Add("method", Method);
        Add("path", Path);
        Add("idempotencyKey", IdempotencyKey);
        Add("status", Status?.ToString(CultureInfo.InvariantCulture));
        Add("repeat", Repeat?.ToString().ToLowerInvariant());
        Add("after", After?.ToString(CultureInfo.InvariantCulture));
        Add("limit", Limit?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + new StringBuilder().AppendJoin('&', parts);
    }
}
