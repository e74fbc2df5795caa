using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>Builds dead-letter records from a failed message and what went wrong.</summary>
public static class DeadLetters
{
    public static DeadLetter For(Envelope envelope, string route, string? endpoint, FailureKind kind, string code, string message,
        DateTimeOffset at, string? details = null, int attempts = 1, string? entityKey = null, IReadOnlyDictionary<string, string>? facts = null) => new()
    {
        MessageId = envelope.MessageId,
        CorrelationId = envelope.EffectiveCorrelationId,
        EntityKey = entityKey ?? envelope.EntityKey,
        MessageType = envelope.Type,
        Route = route,
        Stage = endpoint is null ? DeadLetterStage.Route : DeadLetterStage.Delivery,
        Endpoint = endpoint,
        ErrorKind = kind == FailureKind.Transient ? "transient" : "permanent",
        ErrorCode = code,
        ErrorMessage = message,
        ErrorDetails = details,
        Attempts = attempts,
        FirstFailedAt = at,
        LastFailedAt = at,
        Fingerprint = DeadLetterFingerprint.Compute(route, endpoint, code, message),
        EnvelopeJson = RouterJson.Serialize(envelope),
        Facts = facts ?? new Dictionary<string, string>(),
    };

    /// <summary>The whole exception chain, messages only: stack traces go to the log, not the store a human reads first.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            parts.Add($"{e.GetType().Name}: {e.Message}");
        }
        return string.Join(" ---> ", parts);
    }
}
