using System.IO.Abstractions;
using Router.Core.Endpoints;
using Router.Endpoints.Http;

namespace Router.Endpoints.Tests.Support;

internal static class TestServices
{
    public const string BaseDirectory = "/router";

    public static EndpointServices For(IFileSystem fileSystem, TimeProvider? clock = null, IHttpClientProvider? http = null, long? maxMessageSize = null) => new()
    {
        FileSystem = fileSystem,
        Http = http ?? NoHttp.Instance,
        Clock = clock ?? TimeProvider.System,
        Logger = Serilog.Core.Logger.None,
        BaseDirectory = BaseDirectory,
        MaxMessageSize = maxMessageSize ?? 16 * 1024 * 1024,
    };

    /// <summary>For endpoints that must not touch the network.</summary>
    internal sealed class NoHttp : IHttpClientProvider
    {
        public static readonly NoHttp Instance = new();

        public HttpClient Get(string endpointId) => throw new InvalidOperationException($"endpoint {endpointId} asked for HTTP in a file test");
    }
}
