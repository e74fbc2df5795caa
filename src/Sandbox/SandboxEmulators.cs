using Router.Sandbox.Platform;

namespace Router.Sandbox;

public static class SandboxEmulators
{
    /// <summary>A fresh set of every emulator; each holds its own state, so each sandbox gets new instances.</summary>
    public static IReadOnlyList<ISandboxEmulator> CreateAll() =>
    [
        new PlatformEmulator(),
        new OneC.OneCEmulator(),
        YooKassa.YooKassaEmulator.FromEnvironment(),
        new Cdek.CdekEmulator(),
        new Boxberry.BoxberryEmulator(),
        new SmsRu.SmsRuEmulator(),
        new Smsc.SmscEmulator(),
    ];
}
