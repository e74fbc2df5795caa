using System.Diagnostics;
using System.Globalization;

namespace Router.Transport.Sqlite.Leasing;

/// <summary>
/// Who holds a lease: <c>host:pid:processStartTicks:instance</c>. The process part lets a starting transport tell
/// that a lease belongs to a process on this machine that has died (or whose pid was reused), and take the messages
/// back at once instead of waiting for the lease to run out. The instance part separates transports within a process.
/// </summary>
internal sealed record LeaseOwner(string Host, int ProcessId, long ProcessStartTicks, string Instance)
{
    // Start times are derived from boot time and clock ticks; allow for rounding between two readers.
    private static readonly long StartTimeTolerance = TimeSpan.FromSeconds(1).Ticks;

    public static LeaseOwner ForThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new LeaseOwner(Environment.MachineName, process.Id, process.StartTime.ToUniversalTime().Ticks, Guid.NewGuid().ToString("N")[..12]);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Host}:{ProcessId}:{ProcessStartTicks}:{Instance}");

    public static LeaseOwner? TryParse(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 4
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
               && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks)
            ? new LeaseOwner(parts[0], pid, startTicks, parts[3])
            : null;
    }

    /// <summary>True only when certain: a process on this machine that no longer runs. Anything unclear counts as alive.</summary>
    public bool IsDeadProcessOnThisMachine()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - ProcessStartTicks) > StartTimeTolerance;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false; // exited while we looked, or we may not read it: let the lease run out instead
        }
    }
}
