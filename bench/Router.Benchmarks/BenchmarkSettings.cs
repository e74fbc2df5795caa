namespace Router.Benchmarks;

/// <summary>What every scenario of one row is run with.</summary>
public sealed record BenchmarkSettings
{
    public required int MessageCount { get; init; }

    public int BodyBytes { get; init; } = 1024;

    /// <summary>synchronous=FULL for every commit when true; NORMAL with fsync only where asked to be durable otherwise.</summary>
    public required bool SynchronousFull { get; init; }

    public required string WorkDirectory { get; init; }

    /// <summary>Concurrent sending tasks of the Rebus scenarios.</summary>
    public int Senders { get; init; } = 16;

    /// <summary>Rebus's MaxParallelism of the receiving bus.</summary>
    public int Parallelism { get; init; } = 32;

    public int Prefetch { get; init; } = 32;

    public string Durability => SynchronousFull ? "FULL" : "NORMAL";

    /// <summary>A fresh database file for one run of one scenario.</summary>
    public string NewDatabasePath(string scenario) =>
        Path.Combine(WorkDirectory, $"{scenario}-{Durability.ToLowerInvariant()}-{Guid.NewGuid():N}.db");
}
