using Microsoft.Extensions.Hosting;

namespace Router.Sandbox.Hosting;

/// <summary>
/// The sandbox runs inside another program (the router, a test): that program owns Ctrl-C and SIGTERM. The default
/// console lifetime would take those signals for itself and keep the process alive after its own shutdown.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
