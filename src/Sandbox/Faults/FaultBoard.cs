namespace Router.Sandbox.Faults;

/// <summary>Pending faults, latency and the down switch of every emulator. Thread-safe: requests arrive in parallel.</summary>
public sealed class FaultBoard
{
    private readonly object gate = new();
    private readonly Dictionary<string, EmulatorFaults> byEmulator;

    public FaultBoard(IEnumerable<string> emulators)
    {
        byEmulator = emulators.ToDictionary(e => e, _ => new EmulatorFaults(), StringComparer.Ordinal);
    }

    public void Add(string emulator, FaultSpec fault)
    {
        lock (gate)
        {
            Of(emulator).Pending.Add(fault);
        }
    }

    public void SetLatency(string emulator, TimeSpan latency)
    {
        lock (gate)
        {
            Of(emulator).Latency = latency < TimeSpan.Zero ? TimeSpan.Zero : latency;
        }
    }

    public void SetDown(string emulator, bool down)
    {
        lock (gate)
        {
            Of(emulator).Down = down;
        }
    }

    public void Clear(string emulator)
    {
        lock (gate)
        {
            byEmulator[emulator] = new EmulatorFaults();
        }
    }

    public void ClearAll()
    {
        lock (gate)
        {
            foreach (var name in byEmulator.Keys.ToList())
            {
                byEmulator[name] = new EmulatorFaults();
            }
        }
    }

    public EmulatorFaultState Describe(string emulator)
    {
        lock (gate)
        {
            var faults = Of(emulator);
            return new EmulatorFaultState(emulator, faults.Pending.ToList(), (int)faults.Latency.TotalMilliseconds, faults.Down);
        }
    }

    /// <summary>Takes the fault for a request: the first pending one that matches its path uses up one of its count.</summary>
    public FaultDecision Next(string emulator, string path)
    {
        lock (gate)
        {
            var faults = Of(emulator);
            var index = faults.Pending.FindIndex(f => f.Path is null || path.StartsWith(f.Path, StringComparison.Ordinal));
            FaultSpec? fault = null;
            if (!faults.Down && index >= 0)
            {
                fault = faults.Pending[index];
                if (fault.Count <= 1)
                {
                    faults.Pending.RemoveAt(index);
                }
                else
                {
                    faults.Pending[index] = fault with { Count = fault.Count - 1 };
                }
            }
            return new FaultDecision(faults.Down, faults.Latency, fault);
        }
    }

    private EmulatorFaults Of(string emulator) =>
        byEmulator.TryGetValue(emulator, out var faults) ? faults : throw new ArgumentException($"unknown emulator '{emulator}'", nameof(emulator));

    private sealed class EmulatorFaults
    {
        public List<FaultSpec> Pending { get; } = [];
        public TimeSpan Latency { get; set; }
        public bool Down { get; set; }
    }
}
