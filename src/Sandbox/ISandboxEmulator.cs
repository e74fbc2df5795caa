using Microsoft.AspNetCore.Routing;

namespace Router.Sandbox;

/// <summary>
/// One emulated external system (the e-commerce platform, YooKassa, CDEK…). Its routes live under
/// <c>/&lt;Name&gt;/</c>, which is how the sandbox knows whose faults, latency and log a request belongs to.
/// </summary>
public interface ISandboxEmulator
{
    /// <summary>Lower-case, URL-safe; also the first path segment of every route the emulator maps.</summary>
    string Name { get; }

    /// <summary>The header this system reads its idempotency key from (YooKassa: <c>Idempotence-Key</c>), if it has one.</summary>
    string? IdempotencyHeader { get; }

    void Map(IEndpointRouteBuilder routes, SandboxState state);

    /// <summary>Forgets everything the emulator was sent (stored orders, idempotency keys).</summary>
    void Reset();
}
