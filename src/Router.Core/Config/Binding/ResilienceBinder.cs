using Router.Core.Config.Model;
using Router.Core.Config.Nodes;

namespace Router.Core.Config.Binding;

/// <summary>
/// Reads a <c>resilience:</c> mapping over inherited settings key by key, so an endpoint that says only
/// <c>retry: { attempts: 2 }</c> keeps every other default.
/// </summary>
internal static class ResilienceBinder
{
    public static ResilienceSettings Bind(ConfigMapping? node, ResilienceSettings inherited)
    {
        if (node is null)
        {
            return inherited;
        }
        return inherited with
        {
            Timeout = node.GetDuration("timeout", inherited.Timeout),
            Retry = Retry(node.GetMapping("retry"), inherited.Retry),
            CircuitBreaker = Switchable(node["circuitBreaker"], inherited.CircuitBreaker, new CircuitBreakerSettings(), CircuitBreaker),
            RateLimit = Switchable(node["rateLimit"], inherited.RateLimit, null, RateLimit),
            Redelivery = node.GetMapping("redelivery")?.GetSequence("delays") is { } delays
                ? new RedeliverySettings { Delays = delays.Items.Select(d => ScalarParsers.ParseDuration(((ConfigScalar)d).Value!)!.Value).ToList() }
                : inherited.Redelivery,
        };
    }

    private static RetrySettings Retry(ConfigMapping? node, RetrySettings inherited) =>
        node is null ? inherited : inherited with
        {
            Attempts = node.GetInt("attempts", inherited.Attempts),
            Delay = node.GetDuration("delay", inherited.Delay),
            Backoff = node.GetString("backoff") switch
            {
                "constant" => BackoffKind.Constant,
                "linear" => BackoffKind.Linear,
                "exponential" => BackoffKind.Exponential,
                _ => inherited.Backoff,
            },
            Jitter = node.GetBool("jitter", inherited.Jitter),
            MaxDelay = node.GetDuration("maxDelay", inherited.MaxDelay),
        };

    private static CircuitBreakerSettings CircuitBreaker(ConfigMapping node, CircuitBreakerSettings inherited) => inherited with
    {
        FailureRatio = node.GetDouble("failureRatio", inherited.FailureRatio),
        MinimumThroughput = node.GetInt("minimumThroughput", inherited.MinimumThroughput),
        SamplingDuration = node.GetDuration("samplingDuration", inherited.SamplingDuration),
        BreakDuration = node.GetDuration("breakDuration", inherited.BreakDuration),
    };

    private static RateLimitSettings RateLimit(ConfigMapping node, RateLimitSettings inherited) => inherited with
    {
        PermitsPerSecond = node.GetInt("permitsPerSecond", inherited.PermitsPerSecond),
    };

    /// <summary>A part that may be <c>false</c> (off), <c>true</c> (inherited, or its defaults) or a mapping merged over the inherited one.</summary>
    private static T? Switchable<T>(ConfigNode? node, T? inherited, T? whenSwitchedOn, Func<ConfigMapping, T, T> merge)
        where T : class, new() => node switch
        {
            ConfigMapping mapping => merge(mapping, inherited ?? new T()),
            ConfigScalar { Value: { } text } when ScalarParsers.ParseBool(text) == false => null,
            ConfigScalar { Value: { } } => inherited ?? whenSwitchedOn,
            _ => inherited,
        };
}
