using Microsoft.AspNetCore.Builder;

namespace Router.Sandbox.Hosting;

/// <summary>A started sandbox. Dispose to stop it; requests hung by a timeout fault are cut off.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private int disposed;

    internal RunningSandbox(WebApplication app, CancellationTokenSource stopping, Uri baseAddress, SandboxState state)
    {
        this.app = app;
        this.stopping = stopping;
        BaseAddress = baseAddress;
        State = state;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>; emulators live under it (<c>platform/orders</c>), the control API under <c>_sandbox/</c>.</summary>
    public Uri BaseAddress { get; }

    public SandboxState State { get; }

    public Uri UrlOf(string relative) => new(BaseAddress, relative.TrimStart('/'));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
