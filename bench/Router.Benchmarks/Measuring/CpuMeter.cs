using System.Diagnostics;

namespace Router.Benchmarks.Measuring;

/// <summary>Process CPU time over wall time, in percent of one core: near 100 × cores means the run was CPU-bound.</summary>
public sealed class CpuMeter
{
    private readonly TimeSpan startCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long startWall = Stopwatch.GetTimestamp();

    public double PercentSinceStart()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - startCpu;
        var wall = Stopwatch.GetElapsedTime(startWall);
        return wall > TimeSpan.Zero ? 100 * cpu / wall : 0;
    }
}
