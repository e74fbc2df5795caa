using Router.Core.Failures;

namespace Router.Endpoints.Http;

/// <summary>What an error answer means for the delivery: retry (transient) or dead-letter at once (permanent), and its code.</summary>
public sealed record HttpErrorVerdict(FailureKind Kind, string Code);

/// <summary>
/// Classifies a partner's error answer. The generic rule reads the status alone; a partner whose bodies say more
/// (1C answers a lock conflict with a 500 and a text) brings its own.
/// </summary>
public interface IHttpErrorClassifier
{
    HttpErrorVerdict Classify(int status, string bodyExcerpt);
}

/// <summary>408, 429 and 5xx are worth retrying; any other error status will fail the same way again.</summary>
public sealed class StatusCodeClassifier : IHttpErrorClassifier
{
    public static readonly StatusCodeClassifier Instance = new();

    public static bool IsTransientStatus(int status) => status is 408 or 429 || status >= 500;

    public HttpErrorVerdict Classify(int status, string bodyExcerpt) =>
        new(IsTransientStatus(status) ? FailureKind.Transient : FailureKind.Permanent, $"http-{status}");
}
