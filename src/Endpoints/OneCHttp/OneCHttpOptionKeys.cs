namespace Router.Endpoints.OneCHttp;

/// <summary>The YAML keys of an <c>onec-http</c> endpoint, shared by its schema, its checks and its option readers.</summary>
public static class OneCHttpOptionKeys
{
    public const string Mode = "mode";

    // Both modes: in exchange mode what 1C must present, in service mode what the router presents to 1C.
    public const string User = "user";
    public const string Password = "password";

    // exchange
    public const string Path = "path";
    public const string ExchangeDir = "exchangeDir";
    public const string FileLimit = "fileLimit";
    public const string MaxFileSize = "maxFileSize";
    public const string MaxUploadSize = "maxUploadSize";
    public const string BackgroundImportAbove = "backgroundImportAbove";
    public const string SessionTimeout = "sessionTimeout";

    // service
    public const string BaseUrl = "baseUrl";
    public const string Service = "service";
    public const string IdempotencyHeader = "idempotencyHeader";

    public static readonly IReadOnlyList<string> ExchangeOnly = [Path, ExchangeDir, FileLimit, MaxFileSize, MaxUploadSize, BackgroundImportAbove, SessionTimeout];
    public static readonly IReadOnlyList<string> ServiceOnly = [BaseUrl, Service, IdempotencyHeader];
}

/// <summary>Which side of 1C the endpoint plays; always written in the YAML, because the two share a kind but nothing else.</summary>
public enum OneCHttpMode
{
    /// <summary>The router is the "site" of 1C's «Обмен с сайтом»: 1C calls it (catalog uploads, sale query/success, status files).</summary>
    Exchange,

    /// <summary>The router calls 1C's HTTP services (/hs/…) and reads its OData.</summary>
    Service,
}

public static class OneCHttpModes
{
    public const string Exchange = "exchange";
    public const string Service = "service";

    public static readonly IReadOnlyList<string> Names = [Exchange, Service];

    public static OneCHttpMode Parse(string text) => text switch
    {
        Exchange => OneCHttpMode.Exchange,
        Service => OneCHttpMode.Service,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "unknown onec-http mode"),
    };
}
