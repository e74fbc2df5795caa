using Router.Core.Failures;
using Router.Endpoints.Http;

namespace Router.Endpoints.OneCHttp.Services;

/// <summary>
/// 1C's error answers: an HTTP service returns whatever its code returns, and the platform itself answers 500 with a
/// text. What matters is whether waiting helps: a lock conflict (another session holds the records), a refused
/// session start (the base is locked for maintenance) or a missing licence pass; a validation error does not.
/// </summary>
public sealed class OneCErrorClassifier : IHttpErrorClassifier
{
    public const string LockCode = "onec-lock";
    public const string UnavailableCode = "onec-unavailable";
    public const string ValidationCode = "onec-validation";

    public static readonly OneCErrorClassifier Instance = new();

    private static readonly string[] LockMarkers =
    [
        "конфликт блокировок", "ошибка блокировки", "не удалось заблокировать", "взаимоблокировк",
        "превышено максимальное время ожидания предоставления блокировки",
        "lock conflict", "database is locked", "deadlock", "lock_conflict", "lock timeout",
    ];

    private static readonly string[] UnavailableMarkers =
    [
        "начало сеанса с информационной базой запрещено", "информационная база заблокирована", "не обнаружено свободной лицензии",
        "нет свободной лицензии", "сервер 1с:предприятия не обнаружен", "session start is prohibited", "no free license",
    ];

    public HttpErrorVerdict Classify(int status, string bodyExcerpt)
    {
        var text = bodyExcerpt.ToLowerInvariant();
        if (LockMarkers.Any(text.Contains))
        {
            return new HttpErrorVerdict(FailureKind.Transient, LockCode);
        }
        if (UnavailableMarkers.Any(text.Contains))
        {
            return new HttpErrorVerdict(FailureKind.Transient, UnavailableCode);
        }
        if (status is 400 or 422)
        {
            return new HttpErrorVerdict(FailureKind.Permanent, ValidationCode);
        }
        return StatusCodeClassifier.Instance.Classify(status, bodyExcerpt);
    }
}
