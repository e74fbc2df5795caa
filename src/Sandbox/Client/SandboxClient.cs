using System.Net.Http.Json;
using Router.Sandbox.Control;
using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Client;

/// <summary>Typed access to a sandbox's control API, for tests and tools.</summary>
public sealed class SandboxClient : IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsClient;

    public SandboxClient(Uri baseAddress)
        : this(new HttpClient { BaseAddress = baseAddress }, ownsClient: true)
    {
    }

    /// <param name="http">A client whose <see cref="HttpClient.BaseAddress"/> is the sandbox's.</param>
    public SandboxClient(HttpClient http, bool ownsClient = false)
    {
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("the HttpClient needs the sandbox's BaseAddress", nameof(http));
        }
        this.http = http;
        this.ownsClient = ownsClient;
    }

    public async Task<IReadOnlyList<string>> EmulatorsAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync<EmulatorList>("_sandbox/", cancellationToken)).Emulators;

    public Task<EmulatorFaultState> AddFaultAsync(string emulator, FaultSpec fault, CancellationToken cancellationToken = default) =>
        SendAsync<EmulatorFaultState>(HttpMethod.Post, $"_sandbox/{emulator}/faults", fault, cancellationToken);

    public Task<EmulatorFaultState> FaultsAsync(string emulator, CancellationToken cancellationToken = default) =>
        GetAsync<EmulatorFaultState>($"_sandbox/{emulator}/faults", cancellationToken);

    /// <summary>Clears pending faults, latency and the down switch of one emulator.</summary>
    public Task<EmulatorFaultState> ClearFaultsAsync(string emulator, CancellationToken cancellationToken = default) =>
        SendAsync<EmulatorFaultState>(HttpMethod.Delete, $"_sandbox/{emulator}/faults", null, cancellationToken);

    public Task<EmulatorFaultState> SetLatencyAsync(string emulator, TimeSpan latency, CancellationToken cancellationToken = default) =>
        SendAsync<EmulatorFaultState>(HttpMethod.Put, $"_sandbox/{emulator}/latency", new LatencySetting((int)latency.TotalMilliseconds), cancellationToken);

    public Task<EmulatorFaultState> SetDownAsync(string emulator, bool down, CancellationToken cancellationToken = default) =>
        SendAsync<EmulatorFaultState>(HttpMethod.Put, $"_sandbox/{emulator}/down", new DownSetting(down), cancellationToken);

    public Task<IReadOnlyList<RequestLogEntry>> RequestsAsync(RequestLogQuery? query = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<RequestLogEntry>>("_sandbox/requests" + (query ?? new RequestLogQuery()).ToQueryString(), cancellationToken);

    public async Task ClearRequestsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync("_sandbox/requests", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Back to a fresh sandbox: no faults, empty log, emulators forget what they were sent.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("_sandbox/reset", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: SandboxJson.Options),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(SandboxJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"the sandbox answered {response.RequestMessage?.RequestUri} with null");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"the sandbox answered {(int)response.StatusCode}: {body}");
        }
    }
}
