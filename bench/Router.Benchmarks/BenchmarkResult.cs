namespace Router.Benchmarks;

/// <summary>
/// One scenario's figures. <see cref="MessagesPerSecond"/> is end to end: N divided by the time from the first send to
/// the last message taken off the queue. Latencies are what the scenario says they are (see <see cref="LatencyMeaning"/>).
/// </summary>
public sealed record BenchmarkResult(
    string Scenario,
    string Durability,
    int Messages,
    TimeSpan Elapsed,
    double MessagesPerSecond,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    string LatencyMeaning,
    double CpuPercent,
    IReadOnlyList<string> Notes);
