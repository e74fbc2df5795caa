using System.Globalization;

namespace Router.Benchmarks.Reporting;

/// <summary>
/// Prints one row per scenario and durability: the median run (by msg/s) of the repetitions with the spread, that
/// run's notes, then the ratio of each scenario to the first one of the same durability — of the medians, and per
/// repetition (runs of one repetition ran back to back, so their ratio shares the machine's mood of the moment).
/// </summary>
public static class ResultsTable
{
    public static void Print(IReadOnlyList<BenchmarkResult> results, TextWriter output)
    {
        var groups = results.GroupBy(r => (r.Scenario, r.Durability)).Select(g => new Summary(g.ToList())).ToList();
        var header = new[] { "scenario", "sync", "msgs", "runs", "msg/s (median)", "min–max", "p50", "p99", "latency is", "cpu" };
        var rows = groups.Select(s => new[]
        {
            s.Median.Scenario, s.Median.Durability, s.Median.Messages.ToString("N0", CultureInfo.InvariantCulture),
            s.Runs.Count.ToString(CultureInfo.InvariantCulture), Rate(s.Median.MessagesPerSecond),
            $"{Rate(s.Runs.Min(r => r.MessagesPerSecond))}–{Rate(s.Runs.Max(r => r.MessagesPerSecond))}",
            Ms(s.Median.LatencyP50), Ms(s.Median.LatencyP99), s.Median.LatencyMeaning, $"{s.Median.CpuPercent:N0}%",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
        output.WriteLine();
        foreach (var summary in groups)
        {
            foreach (var note in summary.Median.Notes)
            {
                output.WriteLine($"  [{summary.Median.Durability}] {Short(summary.Median.Scenario)}: {note}");
            }
        }
        output.WriteLine();
        foreach (var durability in groups.GroupBy(s => s.Median.Durability))
        {
            var baseline = durability.First();
            foreach (var other in durability.Skip(1))
            {
                var perRun = other.Runs.Zip(baseline.Runs, (o, b) => (o.MessagesPerSecond / b.MessagesPerSecond).ToString("N2", CultureInfo.InvariantCulture));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  ratio [{durability.Key}] {Short(other.Median.Scenario)}/{Short(baseline.Median.Scenario)} = {other.Median.MessagesPerSecond / baseline.Median.MessagesPerSecond:N2} (medians); per repetition: {string.Join(", ", perRun)}"));
            }
        }
    }

    private sealed class Summary(List<BenchmarkResult> runs)
    {
        public List<BenchmarkResult> Runs { get; } = runs;

        public BenchmarkResult Median { get; } = runs.OrderBy(r => r.MessagesPerSecond).ElementAt(runs.Count / 2);
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i is 2 or 3 or 4 or 5 or 6 or 7 or 9 ? c.PadLeft(widths[i]) : c.PadRight(widths[i])));

    private static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:N2} ms";

    private static string Short(string scenario) => scenario.Split(':')[0];
}
