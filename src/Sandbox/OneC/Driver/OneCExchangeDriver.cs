using System.Net.Http.Headers;
using System.Text;

namespace Router.Sandbox.OneC.Driver;

/// <summary>
/// Plays 1C's side of «Обмен с сайтом» against a site (the router): checkauth with Basic auth, the cookie on every
/// later call, init, uploads cut at the site's file_limit and appended in order, import repeated while the site
/// answers <c>progress</c>, and the sale steps (query, success, status files back). For tests and for trying a
/// router by hand; it stops at the first failure and reports it, as 1C does.
/// </summary>
public sealed class OneCExchangeDriver : IDisposable
{
    private static readonly Encoding Windows1251;

    private readonly HttpClient http;
    private readonly bool ownsClient;
    private readonly Uri exchangeUrl;
    private readonly string authorization;
    private string? cookie;

    static OneCExchangeDriver()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1251 = Encoding.GetEncoding(1251);
    }

    /// <param name="exchangeUrl">The site's exchange address, e.g. http://127.0.0.1:8080/1c/exchange.</param>
    public OneCExchangeDriver(Uri exchangeUrl, string user, string password, HttpClient? http = null)
    {
        this.exchangeUrl = exchangeUrl;
        authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        ownsClient = http is null;
        // 1C keeps the cookie itself, from the checkauth lines; a cookie container would hide whether the site sent it right.
        this.http = http ?? new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    }

    /// <summary>Pause between repeated <c>import</c> calls while the site answers progress.</summary>
    public TimeSpan PollPause { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gives up (returning the last progress) after this many import calls for one file.</summary>
    public int MaxImportCalls { get; init; } = 3000;

    /// <summary>From the last init; 0 before.</summary>
    public long FileLimit { get; private set; }

    /// <summary>From the last init: whether the site accepts a zip archive.</summary>
    public bool ZipAllowed { get; private set; }

    public bool HasSession => cookie is not null;

    public async Task<ExchangeReply> CheckAuthAsync(string type, CancellationToken cancellationToken = default)
    {
        cookie = null;
        var reply = await StepAsync(type, "checkauth", null, null, withAuthorization: true, cancellationToken);
        if (reply.IsSuccess && reply.Lines.Count >= 3)
        {
            cookie = $"{reply.Lines[1]}={reply.Lines[2]}";
        }
        return reply;
    }

    public async Task<ExchangeReply> InitAsync(string type, CancellationToken cancellationToken = default)
    {
        var reply = await StepAsync(type, "init", null, null, withAuthorization: false, cancellationToken);
        foreach (var line in reply.Lines)
        {
            if (line.StartsWith("file_limit=", StringComparison.Ordinal) && long.TryParse(line["file_limit=".Length..], out var limit))
            {
                FileLimit = limit;
            }
            if (line.StartsWith("zip=", StringComparison.Ordinal))
            {
                ZipAllowed = line == "zip=yes";
            }
        }
        return reply;
    }

    /// <summary>Uploads a file in parts of at most file_limit bytes (the whole file when init gave none); stops at the first non-success.</summary>
    public async Task<ExchangeReply> UploadAsync(string type, string filename, byte[] content, CancellationToken cancellationToken = default)
    {
        var part = FileLimit > 0 ? (int)Math.Min(FileLimit, int.MaxValue) : Math.Max(content.Length, 1);
        ExchangeReply? reply = null;
        for (var offset = 0; offset < content.Length || reply is null; offset += part)
        {
            var chunk = content.AsMemory(offset, Math.Min(part, content.Length - offset)).ToArray();
            reply = await StepAsync(type, "file", filename, chunk, withAuthorization: false, cancellationToken);
            if (!reply.IsSuccess)
            {
                return reply;
            }
        }
        return reply;
    }

    /// <summary>Calls import for the file until the site answers something other than progress.</summary>
    public async Task<ImportResult> ImportAsync(string type, string filename, CancellationToken cancellationToken = default)
    {
        var progress = 0;
        while (true)
        {
            var reply = await StepAsync(type, "import", filename, null, withAuthorization: false, cancellationToken);
            if (!reply.IsProgress || progress + 1 >= MaxImportCalls)
            {
                return new ImportResult(reply, progress);
            }
            progress++;
            await Task.Delay(PollPause, cancellationToken);
        }
    }

    /// <summary>
    /// A whole exchange of files, as 1C runs it: checkauth, init, then each file uploaded and imported in order.
    /// Returns the last import's result, or the first failure (as an import result with no progress).
    /// </summary>
    public async Task<ImportResult> ExchangeFilesAsync(string type, IReadOnlyList<(string Name, byte[] Content)> files, CancellationToken cancellationToken = default)
    {
        foreach (var step in new Func<Task<ExchangeReply>>[] { () => CheckAuthAsync(type, cancellationToken), () => InitAsync(type, cancellationToken) })
        {
            var reply = await step();
            if (reply.IsFailure)
            {
                return new ImportResult(reply, 0);
            }
        }
        ImportResult? last = null;
        foreach (var (name, content) in files)
        {
            var upload = await UploadAsync(type, name, content, cancellationToken);
            if (!upload.IsSuccess)
            {
                return new ImportResult(upload, 0);
            }
            last = await ImportAsync(type, name, cancellationToken);
            if (!last.Final.IsSuccess)
            {
                return last;
            }
        }
        return last ?? new ImportResult(new ExchangeReply(200, ["success"]), 0);
    }

    /// <summary><c>sale query</c>: the orders the site has for 1C.</summary>
    public async Task<SaleQueryReply> QueryOrdersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("sale", "query", null, null, withAuthorization: false, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType;
        return new SaleQueryReply((int)response.StatusCode, body, contentType?.ToString(), Decode(body, contentType));
    }

    /// <summary><c>sale success</c>: 1C took what the last query offered.</summary>
    public Task<ExchangeReply> ConfirmOrdersAsync(CancellationToken cancellationToken = default) =>
        StepAsync("sale", "success", null, null, withAuthorization: false, cancellationToken);

    /// <summary>Any step, for the cases the helpers above do not cover (a script name, an unknown mode).</summary>
    public Task<ExchangeReply> StepAsync(string type, string mode, string? filename, byte[]? body, CancellationToken cancellationToken = default) =>
        StepAsync(type, mode, filename, body, withAuthorization: false, cancellationToken);

    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }

    private async Task<ExchangeReply> StepAsync(string type, string mode, string? filename, byte[]? body, bool withAuthorization, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(type, mode, filename, body, withAuthorization, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var text = Decode(bytes, response.Content.Headers.ContentType);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return new ExchangeReply((int)response.StatusCode, lines);
    }

    private async Task<HttpResponseMessage> SendAsync(string type, string mode, string? filename, byte[]? body, bool withAuthorization, CancellationToken cancellationToken)
    {
        var query = $"type={Uri.EscapeDataString(type)}&mode={Uri.EscapeDataString(mode)}" + (filename is null ? "" : $"&filename={Uri.EscapeDataString(filename)}");
        var url = new UriBuilder(exchangeUrl) { Query = query }.Uri;
        // 1C posts the file parts and uses GET for every other step.
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        if (withAuthorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        return await http.SendAsync(request, cancellationToken);
    }

    private static string Decode(byte[] body, MediaTypeHeaderValue? contentType)
    {
        var charset = contentType?.CharSet?.Trim('"');
        var encoding = charset is null ? Windows1251 : Encoding.GetEncoding(charset);
        return encoding.GetString(body);
    }
}
