namespace Router.Benchmarks;

/// <summary>
/// One way of moving messages through, measured in the same process and run as the others so their ratio means
/// something. A new scenario (e.g. the full router) is one more class and one more line in <see cref="Program"/>.
/// </summary>
public interface IBenchmarkScenario
{
    string Name { get; }

    Task<BenchmarkResult> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken);
}
