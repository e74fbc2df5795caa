using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Router.Core.Config.Model;
using Router.Core.Failures;

namespace Router.Core.Stages.Resilience;

/// <summary>One failed attempt inside a delivery, for the journal.</summary>
public sealed record AttemptFailure(int Attempt, string Code, string Message, TimeSpan? NextDelay);

/// <summary>
/// The Polly pipeline of one outbound endpoint, built from its YAML: rate limit → retry (exponential backoff with
/// jitter, honouring a partner's Retry-After) → circuit breaker → per-attempt timeout. Only transient failures are
/// retried and counted by the breaker; permanent ones pass straight through. One instance per endpoint, shared by
/// every delivery to it, because the breaker's state must be.
/// </summary>
public sealed class DeliveryResilience : IDisposable
{
    private static readonly ResiliencePropertyKey<List<AttemptFailure>> FailuresKey = new("router.attempt-failures");

    private readonly ResiliencePipeline pipeline;
    private readonly RateLimiter? rateLimiter;
    private readonly CircuitBreakerStateProvider breakerState = new();

    public DeliveryResilience(ResilienceSettings settings, TimeProvider clock)
    {
        Settings = settings;
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (settings.RateLimit is { PermitsPerSecond: > 0 } rate)
        {
            rateLimiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.PermitsPerSecond,
                TokensPerPeriod = rate.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            builder.AddRateLimiter(rateLimiter);
        }
        if (settings.Retry.Attempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.Retry.Attempts,
                Delay = settings.Retry.Delay,
                MaxDelay = settings.Retry.MaxDelay,
                BackoffType = settings.Retry.Backoff switch
                {
                    BackoffKind.Constant => DelayBackoffType.Constant,
                    BackoffKind.Linear => DelayBackoffType.Linear,
                    _ => DelayBackoffType.Exponential,
                },
                UseJitter = settings.Retry.Jitter,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsRetryableHere(e, settings.Retry.MaxDelay)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TransientFailureException { RetryAfter: { } hint } ? hint : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } e && args.Context.Properties.TryGetValue(FailuresKey, out var failures))
                    {
                        failures.Add(new AttemptFailure(args.AttemptNumber + 1, FailureClassifier.CodeOf(e), e.Message, args.RetryDelay));
                    }
                    return ValueTask.CompletedTask;
                },
            });
        }
        if (settings.CircuitBreaker is { } breaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                StateProvider = breakerState,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && FailureClassifier.Classify(e) == FailureKind.Transient),
            });
        }
        builder.AddTimeout(settings.Timeout);
        pipeline = builder.Build();
    }

    public ResilienceSettings Settings { get; }

    /// <summary>Closed, open, half-open, isolated: for the journal and a future admin page.</summary>
    public CircuitState BreakerState => breakerState.CircuitState;

    /// <summary>
    /// Runs <paramref name="attempt"/> under the pipeline. Returns the attempts that failed before the outcome
    /// (whether it then succeeded or threw), so the journal can show each one.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, List<AttemptFailure> failures, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FailuresKey, failures);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, work) => await work(ctx.CancellationToken).ConfigureAwait(false),
                context, attempt).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// A retry inside this receive only helps for transient errors that are not an open breaker (retrying it is
    /// pointless) and whose Retry-After hint is short; longer waits become a deferred redelivery instead of a held slot.
    /// </summary>
    private static bool IsRetryableHere(Exception e, TimeSpan maxDelay)
    {
        if (e is BrokenCircuitException || FailureClassifier.Classify(e) != FailureKind.Transient)
        {
            return false;
        }
        return e is not TransientFailureException { RetryAfter: { } hint } || hint <= maxDelay;
    }

    public void Dispose() => rateLimiter?.Dispose();
}
