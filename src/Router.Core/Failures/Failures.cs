namespace Router.Core.Failures;

/// <summary>Whether retrying can help: the classification every stage and endpoint reports failures in.</summary>
public enum FailureKind
{
    /// <summary>Timeouts, connection errors, 5xx, 429: retried, then deferred, then dead-lettered.</summary>
    Transient,

    /// <summary>Validation, 4xx, idempotency conflicts, malformed input: straight to the dead-letter store.</summary>
    Permanent,
}

/// <summary>A failure that may go away by itself; <see cref="RetryAfter"/> carries a partner's hint (429/503, YooKassa 202).</summary>
public class TransientFailureException : Exception
{
    public TransientFailureException(string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>A failure no retry will fix. <see cref="Code"/> groups dead letters (e.g. <c>http-422</c>, <c>schema</c>).</summary>
public class PermanentFailureException : Exception
{
    public PermanentFailureException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}

/// <summary>Known error codes that other parts of the router act on.</summary>
public static class ErrorCodes
{
    public const string IdempotencyConflict = "idempotency-conflict";
    public const string MalformedInput = "malformed-input";
    public const string UnknownMessageType = "unknown-message-type";
    public const string SchemaViolation = "schema-violation";
    public const string ExpressionFailed = "expression-failed";
    public const string TooLarge = "too-large";
    public const string RetriesExhausted = "retries-exhausted";
    public const string Unexpected = "unexpected";
    public const string Conflict = "conflict";
    public const string EndpointSteps = "endpoint-steps";
}

public static class FailureClassifier
{
    /// <summary>
    /// Classifies an exception nobody classified explicitly. Network and timeout errors are transient;
    /// anything else is treated as permanent so a bug shows up in the dead-letter store instead of looping.
    /// </summary>
    public static FailureKind Classify(Exception exception) => exception switch
    {
        TransientFailureException => FailureKind.Transient,
        PermanentFailureException => FailureKind.Permanent,
        Polly.Timeout.TimeoutRejectedException => FailureKind.Transient,
        Polly.CircuitBreaker.BrokenCircuitException => FailureKind.Transient,
        Polly.RateLimiting.RateLimiterRejectedException => FailureKind.Transient,
        HttpRequestException => FailureKind.Transient,
        TimeoutException => FailureKind.Transient,
        TaskCanceledException => FailureKind.Transient,
        IOException => FailureKind.Transient,
        System.Net.Sockets.SocketException => FailureKind.Transient,
        _ => FailureKind.Permanent,
    };

    public static string CodeOf(Exception exception) => exception switch
    {
        PermanentFailureException p => p.Code,
        TransientFailureException => "transient",
        Polly.Timeout.TimeoutRejectedException => "timeout",
        Polly.CircuitBreaker.BrokenCircuitException => "circuit-open",
        HttpRequestException => "connection",
        System.Text.Json.JsonException => ErrorCodes.MalformedInput,
        _ => exception.GetType().Name,
    };
}
