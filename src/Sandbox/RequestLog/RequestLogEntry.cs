namespace Router.Sandbox.RequestLog;

public enum RequestOutcome
{
    /// <summary>Still being handled (or hanging on purpose).</summary>
    Pending,

    Answered,

    /// <summary>The sandbox dropped the connection (reset fault, or the emulator is down).</summary>
    ConnectionReset,

    /// <summary>The client went away before an answer (timeout fault, latency longer than the client waits).</summary>
    ClientGaveUp,
}

/// <summary>One request as an emulator saw it. Headers are kept as received (this is a test double, not a production log).</summary>
public sealed record RequestLogEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }

    /// <summary>Null for requests no emulator owns.</summary>
    public string? Emulator { get; init; }

    public required string Method { get; init; }
    public required string Path { get; init; }
    public string? Query { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string Body { get; init; } = "";
    public string? IdempotencyKey { get; init; }

    /// <summary>The status answered; null when no answer was sent.</summary>
    public int? Status { get; init; }

    public RequestOutcome Outcome { get; init; }

    /// <summary>The injected fault, if any: <c>status-503</c>, <c>timeout</c>, <c>reset</c>, <c>down</c>.</summary>
    public string? Fault { get; init; }

    /// <summary>The emulator answered from its idempotency store: a repeat of an earlier request with the same key and body.</summary>
    public bool Repeat { get; init; }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
