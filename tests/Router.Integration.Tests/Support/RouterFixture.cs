using System.IO.Abstractions;
using Router.Core.Config;
using Router.Core.Config.Model;
using Router.Core.Endpoints;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Composition;
using Router.Sandbox.Hosting;
using Router.Sandbox.RequestLog;
using Serilog;

namespace Router.Integration.Tests.Support;

/// <summary>
/// A router built from YAML in a temp directory, on the real embedded default (SQLite transport and state), with
/// the sandbox on a free loopback port. <c>{sandbox}</c> and <c>{dir}</c> in the YAML are replaced by their values.
/// </summary>
public sealed class RouterFixture : IAsyncDisposable
{
    private readonly TemporaryDirectory directory = new();
    private RouterRuntime? runtime;
    private RouterEngine? engine;

    private RouterFixture(RunningSandbox sandbox)
    {
        Sandbox = sandbox;
    }

    public RunningSandbox Sandbox { get; }
    public string Directory => directory.Path;
    public string ConfigPath => directory.Combine("router.yaml");
    public RouterRuntime Runtime => runtime ?? throw new InvalidOperationException("not started");
    public RouterEngine Engine => engine ?? throw new InvalidOperationException("not started");
    public IRouterState State => Runtime.State;
    public RouterConfig Config => Runtime.Config;

    public static async Task<RouterFixture> StartAsync(string yaml, bool startEngine = true)
    {
        var sandbox = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        var fixture = new RouterFixture(sandbox);
        await fixture.LoadAsync(yaml, startEngine);
        return fixture;
    }

    private async Task LoadAsync(string yaml, bool startEngine)
    {
        var text = yaml.Replace("{sandbox}", Sandbox.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("{dir}", Directory, StringComparison.Ordinal);
        await File.WriteAllTextAsync(ConfigPath, text);
        var result = new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), new FileSystem(), Environment.GetEnvironmentVariable)
            .Load(ConfigPath);
        if (result.Config is null)
        {
            throw new InvalidOperationException("test config is invalid:\n" + string.Join("\n", result.Diagnostics));
        }
        var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        runtime = await RouterRuntimeFactory.CreateAsync(result.Config, logger, new FileSystem(), TimeProvider.System, CancellationToken.None);
        engine = new RouterEngine(runtime);
        if (startEngine)
        {
            engine.Start();
        }
        else
        {
            engine.StartClient();
        }
    }

    /// <summary>Stops the engine and starts a new one on the same files (a restart of the host).</summary>
    public async Task RestartAsync()
    {
        var yaml = await File.ReadAllTextAsync(ConfigPath);
        await StopAsync();
        await LoadAsync(yaml, startEngine: true);
    }

    public string Path(params string[] parts) => directory.Combine(parts);

    public void Drop(string folder, string name, string content)
    {
        var path = Path(folder);
        System.IO.Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, name), content);
    }

    /// <summary>What <c>run --once</c> does: poll every inbound endpoint (settling quickly), then wait for every queue to drain.</summary>
    public async Task<IReadOnlyDictionary<string, PollResult>> RunOnceAsync(TimeSpan? timeout = null)
    {
        var polls = await Engine.PollAllOnceAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await DrainAsync(timeout);
        return polls;
    }

    public async Task DrainAsync(TimeSpan? timeout = null)
    {
        var drained = await Engine.WaitUntilDrainedAsync(timeout ?? TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.That(drained, Is.True, "the queues did not drain in time");
    }

    /// <summary>Waits until <paramref name="condition"/> holds (generous timeout: machines are noisy, never a timing assertion).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for: " + what);
            }
            await Task.Delay(50);
        }
    }

    public IReadOnlyList<RequestLogEntry> Requests(string path) =>
        Sandbox.State.Requests.Query(new RequestLogQuery { Path = path, Limit = 100_000 });

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(params DeadLetterStatus[] statuses) =>
        State.DeadLetters.ListAsync(new DeadLetterQuery { Statuses = statuses.Length == 0 ? [DeadLetterStatus.Pending] : statuses }, CancellationToken.None);

    public Task<IReadOnlyList<JournalEntry>> TraceAsync(string id) => State.Journal.TraceAsync(id, 10_000, CancellationToken.None);

    private async Task StopAsync()
    {
        if (engine is not null)
        {
            await engine.DisposeAsync();
            engine = null;
        }
        if (runtime is not null)
        {
            await runtime.DisposeAsync();
            runtime = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Sandbox.DisposeAsync();
        directory.Dispose();
    }
}
