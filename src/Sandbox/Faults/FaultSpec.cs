namespace Router.Sandbox.Faults;

public enum FaultType
{
    /// <summary>Answer with <see cref="FaultSpec.Status"/> (and <see cref="FaultSpec.RetryAfter"/> if set).</summary>
    Status,

    /// <summary>Never answer: hang until the client gives up.</summary>
    Timeout,

    /// <summary>Drop the connection without an answer.</summary>
    Reset,
}

/// <summary>A fault for the next <see cref="Count"/> requests to an emulator (optionally only under <see cref="Path"/>).</summary>
public sealed record FaultSpec
{
    public FaultType Type { get; init; } = FaultType.Status;

    public int Status { get; init; } = 500;

    /// <summary>The raw <c>Retry-After</c> value: seconds (<c>"2"</c>) or an HTTP-date.</summary>
    public string? RetryAfter { get; init; }

    public int Count { get; init; } = 1;

    /// <summary>
    /// The body of a status fault, as the emulated system words its errors (1C answers a lock conflict with a 500 and
    /// a text); null for the sandbox's generic JSON. Emulators offer faithful presets (e.g. OneCFaults).
    /// </summary>
    public string? Body { get; init; }

    /// <summary>The Content-Type of <see cref="Body"/>; text/plain; charset=utf-8 when null.</summary>
    public string? ContentType { get; init; }

    /// <summary>Only requests whose path starts with this (e.g. <c>/platform/orders</c>); null for all.</summary>
    public string? Path { get; init; }

    public static FaultSpec Answer(int status, int count = 1, string? retryAfter = null) =>
        new() { Type = FaultType.Status, Status = status, Count = count, RetryAfter = retryAfter };

    public static FaultSpec TooManyRequests(string retryAfter, int count = 1) => Answer(429, count, retryAfter);

    public static FaultSpec Hang(int count = 1) => new() { Type = FaultType.Timeout, Count = count };

    public static FaultSpec ResetConnection(int count = 1) => new() { Type = FaultType.Reset, Count = count };

    /// <summary>Null when valid; otherwise what is wrong, for a 400 answer.</summary>
    public string? Problem() => this switch
    {
        { Count: < 1 } => "count must be at least 1",
        { Type: FaultType.Status, Status: < 100 or > 599 } => "status must be between 100 and 599",
        { Path: { } path } when !path.StartsWith('/') => "path must start with '/'",
        _ => null,
    };

    public string Describe() => Type switch
    {
        FaultType.Status => $"status-{Status}",
        FaultType.Timeout => "timeout",
        _ => "reset",
    };
}

/// <summary>One emulator's fault settings, as the control API shows them.</summary>
public sealed record EmulatorFaultState(string Emulator, IReadOnlyList<FaultSpec> Pending, int LatencyMilliseconds, bool Down);

/// <summary>What the sandbox does to one request before (or instead of) the emulator answering.</summary>
public sealed record FaultDecision(bool Down, TimeSpan Latency, FaultSpec? Fault)
{
    public static readonly FaultDecision None = new(false, TimeSpan.Zero, null);
}
