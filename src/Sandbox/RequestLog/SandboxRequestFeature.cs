using Microsoft.AspNetCore.Http;

namespace Router.Sandbox.RequestLog;

/// <summary>What the sandbox pipeline learned about the current request, for the emulator handling it.</summary>
public sealed class SandboxRequestFeature
{
    public SandboxRequestFeature(ISandboxEmulator? emulator, byte[] body, long sequence)
    {
        Emulator = emulator;
        Body = body;
        Sequence = sequence;
    }

    public ISandboxEmulator? Emulator { get; }

    /// <summary>The whole request body, already read (the request stream is rewound for handlers that want it).</summary>
    public byte[] Body { get; }

    public long Sequence { get; }

    /// <summary>Set by an emulator answering from its idempotency store; shows in the log.</summary>
    public bool Repeat { get; set; }
}

public static class SandboxHttpContextExtensions
{
    public static SandboxRequestFeature SandboxRequest(this HttpContext context) =>
        context.Features.Get<SandboxRequestFeature>()
        ?? throw new InvalidOperationException("the sandbox pipeline did not see this request");
}
