using System.Globalization;
using RabbitMQ.Client;

namespace Router.Benchmarks.Measuring;

/// <summary>
/// Samples how many messages wait (ready, not yet delivered to a consumer) in each queue of a pipeline while it runs:
/// the queue where the backlog sits is the stage that does not keep up.
/// </summary>
public sealed class QueueDepthSampler(IChannel channel, IReadOnlyList<string> queues)
{
    private readonly List<uint[]> samples = [];
    private readonly List<int> handling = [];

    /// <summary>Messages the router's handlers are working on at each sample (all stages), if known.</summary>
    public Func<int>? InFlight { get; set; }

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var sample = new uint[queues.Count];
                for (var i = 0; i < queues.Count; i++)
                {
                    sample[i] = (await channel.QueueDeclarePassiveAsync(queues[i], cancellationToken)).MessageCount;
                }
                samples.Add(sample);
                if (InFlight is { } inFlight)
                {
                    handling.Add(inFlight());
                }
                await Task.Delay(interval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The peak per queue, then up to eight samples spread over the run.</summary>
    public string Describe()
    {
        if (samples.Count == 0)
        {
            return "no samples";
        }
        var peaks = Enumerable.Range(0, queues.Count).Select(i => samples.Max(s => s[i]));
        var step = Math.Max(1, samples.Count / 8);
        var spread = samples.Where((_, i) => i % step == 0).Take(8).Select(s => string.Join("/", s.Select(n => n.ToString(CultureInfo.InvariantCulture))));
        var handlers = handling.Count == 0 ? "" : $"; messages in handlers: median {handling.Order().ElementAt(handling.Count / 2)}, peak {handling.Max()}";
        return $"peak {string.Join("/", peaks)}; over time {string.Join("  ", spread)}{handlers}";
    }
}
