using Microsoft.Extensions.Logging;

namespace Router.Sandbox.Hosting;

public sealed record SandboxOptions
{
    /// <summary>Where to listen; loopback only. Port 0 picks a free port (read it from <see cref="RunningSandbox.BaseAddress"/>).</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>The emulators to run; null runs a fresh set of all of them.</summary>
    public IReadOnlyList<ISandboxEmulator>? Emulators { get; init; }

    /// <summary>Logging is off by default so tests stay quiet; <c>router sandbox</c> plugs its own in here.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
