using System.Collections.Concurrent;
using System.Net;
using Router.Core.Endpoints;

namespace Router.Endpoints.Http;

/// <summary>
/// One long-lived HttpClient per endpoint id, each with its own connection pool so one slow partner cannot starve
/// another. Timeouts belong to the caller's resilience pipeline (it cancels the token), so the clients never time out.
/// </summary>
public sealed class HttpClientProvider : IHttpClientProvider, IDisposable
{
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> clients = new(StringComparer.Ordinal);
    private readonly TimeSpan pooledConnectionLifetime;
    private readonly TimeSpan connectTimeout;
    private volatile bool disposed;

    public HttpClientProvider()
        : this(DefaultPooledConnectionLifetime, DefaultConnectTimeout)
    {
    }

    /// <param name="pooledConnectionLifetime">How long a connection is reused; bounded so DNS changes are picked up.</param>
    /// <param name="connectTimeout">How long to wait for a TCP (and TLS) connection.</param>
    public HttpClientProvider(TimeSpan pooledConnectionLifetime, TimeSpan connectTimeout)
    {
        this.pooledConnectionLifetime = pooledConnectionLifetime;
        this.connectTimeout = connectTimeout;
    }

    public HttpClient Get(string endpointId)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return clients.GetOrAdd(endpointId, _ => new Lazy<HttpClient>(Create)).Value;
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var client in clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
        clients.Clear();
    }

    private HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = pooledConnectionLifetime,
            ConnectTimeout = connectTimeout,
            // A redirected POST turns into a GET; partners that redirect are misconfigured and must show as failures.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            UseCookies = false,
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Router/1.0");
        return client;
    }
}
