using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Router.Benchmarks.CommerceML;

// Usage: Router.Benchmarks.CommerceML [--products 10000,100000] [--repeat 3] [--dir PATH]
//        Router.Benchmarks.CommerceML pass --mode raw|router --file PATH   (one measured pass; used by the run above)
// Generates import files, then for each size runs the raw XmlReader pass and our parse-to-envelopes pass alternately,
// each in a fresh process so its peak resident memory (VmHWM) is its own. Prints MB/s, the ratio router/raw and peaks.
if (args.Length > 0 && args[0] == "pass")
{
    var pass = ParsePass.Run(Argument(args, "mode") ?? ParsePass.Router, Argument(args, "file") ?? throw new ArgumentException("--file is required"));
    Console.WriteLine(JsonSerializer.Serialize(pass));
    return 0;
}

var sizes = (Argument(args, "products") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var repeat = int.Parse(Argument(args, "repeat") ?? "3", CultureInfo.InvariantCulture);
var keep = Argument(args, "dir") is not null;
var directory = Argument(args, "dir") ?? Path.Combine(Path.GetTempPath(), "router-bench-commerceml-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
Console.WriteLine($"CommerceML parse benchmark: {string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} products, " +
                  $"{repeat} repetition(s), {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
try
{
    var results = new List<PassResult>();
    foreach (var size in sizes)
    {
        var file = Path.Combine(directory, $"import_{size}.xml");
        if (!File.Exists(file))
        {
            ImportFileGenerator.Write(file, size);
        }
        Console.WriteLine($"  {Path.GetFileName(file)}: {new FileInfo(file).Length / 1_048_576.0:N1} MB");
        // One unreported pass of each warms the page cache, so neither mode pays for the first read from disk.
        await RunChildAsync(ParsePass.Raw, file);
        await RunChildAsync(ParsePass.Router, file);
        for (var round = 1; round <= repeat; round++)
        {
            foreach (var mode in new[] { ParsePass.Raw, ParsePass.Router })
            {
                var result = await RunChildAsync(mode, file);
                Console.WriteLine($"    #{round} {mode,-6} {result.MegabytesPerSecond,8:N1} MB/s  {result.MegabytesPerCpuSecond,8:N1} MB/cpu-s  " +
                                  $"{result.Items,9:N0} products  peak {result.PeakBytes / 1_048_576.0,6:N0} MB");
                results.Add(result);
            }
        }
    }
    PrintTable(results);
    return 0;
}
finally
{
    if (!keep)
    {
        Directory.Delete(directory, recursive: true);
    }
}

static async Task<PassResult> RunChildAsync(string mode, string file)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    // Under `dotnet Router.Benchmarks.CommerceML.dll` the process path is dotnet itself, so pass the dll along.
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        start.ArgumentList.Add(typeof(ParsePass).Assembly.Location);
    }
    foreach (var argument in new[] { "pass", "--mode", mode, "--file", file })
    {
        start.ArgumentList.Add(argument);
    }
    using var child = Process.Start(start)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    if (child.ExitCode != 0)
    {
        throw new InvalidOperationException($"the {mode} pass over {file} failed with exit code {child.ExitCode}");
    }
    return JsonSerializer.Deserialize<PassResult>(output.Trim().Split('\n')[^1])!;
}

static void PrintTable(List<PassResult> results)
{
    Console.WriteLine();
    Console.WriteLine("file                      MB   raw MB/s  router MB/s  router/raw  (per CPU second: raw  router  ratio)  raw peak MB  router peak MB   (medians)");
    foreach (var file in results.GroupBy(r => r.File))
    {
        var raw = file.Where(r => r.Mode == ParsePass.Raw).ToList();
        var router = file.Where(r => r.Mode == ParsePass.Router).ToList();
        var rawSpeed = Median(raw.Select(r => r.MegabytesPerSecond));
        var routerSpeed = Median(router.Select(r => r.MegabytesPerSecond));
        var rawCpu = Median(raw.Select(r => r.MegabytesPerCpuSecond));
        var routerCpu = Median(router.Select(r => r.MegabytesPerCpuSecond));
        Console.WriteLine($"{file.Key,-22} {file.First().Bytes / 1_048_576.0,6:N1} {rawSpeed,10:N1} {routerSpeed,12:N1} {routerSpeed / rawSpeed,11:N2} " +
                          $"{rawCpu,26:N1} {routerCpu,7:N1} {routerCpu / rawCpu,6:N2} " +
                          $"{Median(raw.Select(r => r.PeakBytes / 1_048_576.0)),12:N0} {Median(router.Select(r => r.PeakBytes / 1_048_576.0)),15:N0}");
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string? Argument(string[] args, string name)
{
    var at = Array.IndexOf(args, "--" + name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

// Other work on a shared machine moves every figure; print it so a reader can judge.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
