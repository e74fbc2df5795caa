using System.Globalization;
using System.Numerics;

namespace Router.Transport.RabbitMq.Deferral;

/// <summary>
/// Native deferral without the delayed-message plugin: a deferred message waits in a delay queue whose TTL is its
/// delay, then the broker dead-letters it to the direct exchange under its original routing key — its recipient.
/// A queue-level TTL expires messages in order, so each delay needs its own queue; delays are rounded *up* to
/// buckets (100 ms below a second, whole seconds below a minute, then steps of at most 1/32 of the delay) so a few
/// dozen queues serve every delay and no message is ever received before it is due.
/// </summary>
internal static class DelayBuckets
{
    /// <summary>The header the delay exchange routes on: the delay queue's name (a headers exchange, one binding per delay queue).</summary>
    public const string Header = "router-delay-queue";

    /// <summary>RabbitMQ's largest TTL is 2^32-1 ms (about 49 days).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue);

    public static long RoundUp(TimeSpan delay)
    {
        if (delay > Longest)
        {
            throw new NotSupportedException($"cannot defer a message by {delay}: RabbitMQ holds messages for at most {Longest.TotalDays:0} days");
        }
        var ms = Math.Max(1, (long)Math.Ceiling(delay.TotalMilliseconds));
        var step = ms switch
        {
            <= 1_000 => 100,
            <= 60_000 => 1_000,
            _ => Math.Max(1_000L, 1L << BitOperations.Log2((ulong)(ms / 32))),
        };
        return Math.Min(uint.MaxValue, (ms + step - 1) / step * step);
    }

    /// <summary>Classic and quorum delay queues differ in their arguments, so they are different queues.</summary>
    public static string QueueName(string delayExchange, long delayMs, bool quorum) =>
        $"{delayExchange}.{delayMs.ToString(CultureInfo.InvariantCulture)}ms{(quorum ? ".quorum" : "")}";
}
