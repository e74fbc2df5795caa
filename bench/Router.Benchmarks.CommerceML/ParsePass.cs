using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Xml;
using Router.Core.Messages;
using Router.Transformers.CommerceML;

namespace Router.Benchmarks.CommerceML;

/// <summary>What one pass over a file did, printed by the child process as one JSON line for the parent to collect.</summary>
/// <remarks>
/// CPU seconds are reported beside wall seconds because this machine is shared: other load stretches wall time, while
/// CPU time (all of the process's threads, so the GC's too) moves much less.
/// </remarks>
internal sealed record PassResult(string Mode, string File, long Bytes, long Items, double Seconds, double CpuSeconds, long PeakBytes)
{
    public double MegabytesPerSecond => Bytes / 1_048_576.0 / Seconds;

    public double MegabytesPerCpuSecond => Bytes / 1_048_576.0 / CpuSeconds;
}

/// <summary>
/// The two passes being compared. Both read the file from disk through a StreamReader with the same hardened reader
/// settings, so the only difference is what the router does on top of tokenising: building each Товар's small tree,
/// resolving it through the Классификатор, and serialising a catalog.product envelope.
/// </summary>
internal static class ParsePass
{
    public const string Raw = "raw";
    public const string Router = "router";

    public static PassResult Run(string mode, string path)
    {
        var bytes = new FileInfo(path).Length;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var items = mode switch
        {
            Raw => RawPass(path),
            Router => RouterPass(path),
            _ => throw new ArgumentException($"unknown mode '{mode}' (raw|router)", nameof(mode)),
        };
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new PassResult(mode, Path.GetFileName(path), bytes, items, clock.Elapsed.TotalSeconds, cpu.TotalSeconds, PeakResidentBytes());
    }

    /// <summary>Every node read and every text value materialised: the least any reader of this file must do.</summary>
    private static long RawPass(string path)
    {
        using var text = OpenText(path);
        using var reader = XmlReader.Create(text, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        });
        long products = 0;
        long characters = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.LocalName == "Товар")
                    {
                        products++;
                    }
                    while (reader.MoveToNextAttribute())
                    {
                        characters += reader.Value.Length;
                    }
                    break;
                case XmlNodeType.Text:
                    characters += reader.Value.Length;
                    break;
            }
        }
        GC.KeepAlive(characters);
        return products;
    }

    private static long RouterPass(string path)
    {
        var file = new Envelope
        {
            MessageId = "file:" + Path.GetFileName(path),
            Type = "file",
            Source = "bench",
            OccurredAt = DateTimeOffset.UnixEpoch,
            Payload = JsonDocument.Parse("{}").RootElement,
        };
        using var text = OpenText(path);
        // Counting is enough: each envelope's payload is already serialised JSON when it is handed out.
        return CommerceMLCatalogStream.Envelopes(file, text, Path.GetFileName(path), long.MaxValue).LongCount();
    }

    private static StreamReader OpenText(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <summary>VmHWM: the most resident memory this process ever had, which is why each pass runs in its own process.</summary>
    private static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kilobytes * 1024;
            }
        }
        return -1;
    }
}
