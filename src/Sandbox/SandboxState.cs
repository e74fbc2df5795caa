using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox;

/// <summary>What every emulator of one running sandbox shares: the fault board, the request log, the clock.</summary>
public sealed class SandboxState
{
    public SandboxState(IReadOnlyList<ISandboxEmulator> emulators, TimeProvider clock, CancellationToken stopping)
    {
        var names = emulators.Select(e => e.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException("two emulators share a name", nameof(emulators));
        }
        Emulators = emulators;
        Clock = clock;
        Stopping = stopping;
        Faults = new FaultBoard(names);
        Requests = new RequestHistory(clock);
    }

    public IReadOnlyList<ISandboxEmulator> Emulators { get; }

    public TimeProvider Clock { get; }

    /// <summary>Cancelled when the sandbox stops, so requests hung on purpose do not hold up shutdown.</summary>
    public CancellationToken Stopping { get; }

    public FaultBoard Faults { get; }

    public RequestHistory Requests { get; }

    public ISandboxEmulator? Find(string name) => Emulators.FirstOrDefault(e => e.Name == name);

    /// <summary>The emulator owning a request path: the one named by its first segment.</summary>
    public ISandboxEmulator? Owner(string path)
    {
        var trimmed = path.TrimStart('/');
        var slash = trimmed.IndexOf('/');
        return Find(slash < 0 ? trimmed : trimmed[..slash]);
    }

    public void Reset()
    {
        Faults.ClearAll();
        Requests.Clear();
        foreach (var emulator in Emulators)
        {
            emulator.Reset();
        }
    }
}
