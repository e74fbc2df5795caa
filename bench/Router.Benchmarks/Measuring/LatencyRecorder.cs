using System.Diagnostics;

namespace Router.Benchmarks.Measuring;

/// <summary>Collects latencies (Stopwatch ticks) from many threads into a preallocated array, then gives percentiles.</summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] samples = new long[capacity];
    private int count;

    public int Count => Volatile.Read(ref count);

    public int Record(long elapsedTicks)
    {
        var index = Interlocked.Increment(ref count) - 1;
        if (index < samples.Length)
        {
            samples[index] = elapsedTicks;
        }
        return index + 1;
    }

    public TimeSpan Percentile(double fraction)
    {
        var taken = Math.Min(Count, samples.Length);
        if (taken == 0)
        {
            return TimeSpan.Zero;
        }
        var sorted = samples[..taken];
        Array.Sort(sorted);
        var index = (int)Math.Clamp(Math.Ceiling(fraction * taken) - 1, 0, taken - 1);
        return Stopwatch.GetElapsedTime(0, sorted[index]);
    }
}
