using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Security.Cryptography;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// The exchange sessions 1C holds with cookies. Kept in memory: after a restart 1C's next call fails with "no session"
/// and 1C starts its exchange over from <c>checkauth</c>, which is what it does after any failure anyway.
/// </summary>
internal sealed class ExchangeSessions
{
    /// <summary>Bitrix's is PHPSESSID; 1C sends back whatever name the checkauth answer gave.</summary>
    public const string CookieName = "ROUTER1CSESSID";

    private readonly ConcurrentDictionary<string, ExchangeSession> byCookie = new(StringComparer.Ordinal);
    private readonly IFileSystem fileSystem;
    private readonly string uploadRoot;
    private readonly TimeSpan timeout;
    private readonly TimeProvider clock;
    private long lastNumber;

    public ExchangeSessions(IFileSystem fileSystem, string uploadRoot, TimeSpan timeout, TimeProvider clock)
    {
        this.fileSystem = fileSystem;
        this.uploadRoot = uploadRoot;
        this.timeout = timeout;
        this.clock = clock;
    }

    public ExchangeSession Start()
    {
        RemoveExpired();
        var cookie = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // The folder is named by a hash of the cookie, so a directory listing does not hand out live sessions.
        var folder = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(cookie)))[..24];
        var session = new ExchangeSession(Interlocked.Increment(ref lastNumber), cookie, fileSystem.Path.Combine(uploadRoot, folder), clock.GetUtcNow());
        byCookie[cookie] = session;
        return session;
    }

    /// <summary>The live session of a <c>Cookie</c> header, or null; touching it keeps it alive.</summary>
    public ExchangeSession? Find(string? cookieHeader)
    {
        var cookie = CookieValue(cookieHeader);
        if (cookie is null || !byCookie.TryGetValue(cookie, out var session))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (now - session.LastSeen > timeout)
        {
            Remove(session);
            return null;
        }
        session.LastSeen = now;
        return session;
    }

    public IReadOnlyCollection<ExchangeSession> All => byCookie.Values.ToList();

    /// <summary>
    /// Forgets sessions idle longer than the timeout and deletes their uploads, and upload folders left by a previous
    /// run (their sessions died with it). An upload that was never imported was never acknowledged to 1C as imported.
    /// </summary>
    public void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var session in byCookie.Values.Where(s => now - s.LastSeen > timeout && s.RunningImports.Count == 0).ToList())
        {
            Remove(session);
        }
        if (!fileSystem.Directory.Exists(uploadRoot))
        {
            return;
        }
        var live = byCookie.Values.Select(s => s.UploadDir).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in fileSystem.Directory.GetDirectories(uploadRoot))
        {
            if (!live.Contains(folder) && now - fileSystem.Directory.GetLastWriteTimeUtc(folder) > timeout)
            {
                TryDelete(folder);
            }
        }
    }

    public void Remove(ExchangeSession session)
    {
        byCookie.TryRemove(session.Cookie, out _);
        TryDelete(session.UploadDir);
    }

    private void TryDelete(string folder)
    {
        try
        {
            if (fileSystem.Directory.Exists(folder))
            {
                fileSystem.Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next clean-up; a stale upload folder harms nothing.
        }
    }

    private static string? CookieValue(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0 && part[..equals] == CookieName)
            {
                return part[(equals + 1)..].Trim('"');
            }
        }
        return null;
    }
}
