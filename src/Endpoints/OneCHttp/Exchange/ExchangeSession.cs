namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// One exchange of 1C with the router, from <c>checkauth</c> on: its cookie, its upload folder, what it uploaded and
/// imported. 1C calls one request at a time; <see cref="Gate"/> keeps a misbehaving client from interleaving appends.
/// </summary>
internal sealed class ExchangeSession
{
    public ExchangeSession(long number, string cookie, string uploadDir, DateTimeOffset now)
    {
        Number = number;
        Cookie = cookie;
        UploadDir = uploadDir;
        LastSeen = now;
    }

    /// <summary>For logs: the cookie itself is a credential and is never written anywhere.</summary>
    public long Number { get; }

    public string Cookie { get; }

    public string UploadDir { get; }

    public DateTimeOffset LastSeen { get; set; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Bytes of every file uploaded in this session, pictures included, against maxUploadSize.</summary>
    public long UploadedBytes { get; set; }

    /// <summary>Imports handed to the background and not yet answered, by file name.</summary>
    public Dictionary<string, Task<ExchangeAnswer>> RunningImports { get; } = new(StringComparer.Ordinal);

    /// <summary>Files already imported: a repeated <c>import</c> for one answers success again instead of "not uploaded".</summary>
    public HashSet<string> Imported { get; } = new(StringComparer.Ordinal);

    public override string ToString() => $"session {Number}";
}
