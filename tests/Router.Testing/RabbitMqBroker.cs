using System.Diagnostics;

namespace Router.Testing;

/// <summary>
/// The RabbitMQ node <c>scripts/services/rabbitmq.sh</c> starts, shared by every test project that uses it. Tests that
/// disturb it (restart it, raise a memory alarm) hold <see cref="DisturbAsync"/>; every other use holds
/// <see cref="ShareAsync"/>, so test projects running in parallel never see each other's disturbances. The lock is a
/// file lock (flock), so it holds across processes.
/// </summary>
public static class RabbitMqBroker
{
    public const string UrlVariable = "ROUTER_TEST_RABBITMQ_URL";
    public const string CtlVariable = "ROUTER_TEST_RABBITMQ_CTL";
    public const string LockVariable = "ROUTER_TEST_RABBITMQ_LOCK";

    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    /// <summary><c>amqp://user:password@127.0.0.1:port/</c>; fails or ignores the test when the broker is not there.</summary>
    public static string Url => TestServers.Require(UrlVariable);

    /// <summary>For ordinary use of the broker: many holders at once, none while it is disturbed.</summary>
    public static Task<IDisposable> ShareAsync() => LockAsync(FileShare.ReadWrite, FileAccess.Read);

    /// <summary>For a test that stops, restarts or alarms the broker: waits until nobody else uses it.</summary>
    public static Task<IDisposable> DisturbAsync() => LockAsync(FileShare.None, FileAccess.ReadWrite);

    /// <summary>Runs <c>rabbitmqctl</c> against the test node (e.g. stop_app, start_app, set_vm_memory_high_watermark).</summary>
    public static async Task<string> CtlAsync(params string[] arguments)
    {
        var ctl = TestServers.Require(CtlVariable);
        var start = new ProcessStartInfo(ctl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {ctl}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
        return await output;
    }

    private static async Task<IDisposable> LockAsync(FileShare share, FileAccess access)
    {
        var path = Environment.GetEnvironmentVariable(LockVariable);
        if (string.IsNullOrEmpty(path))
        {
            // A broker started by hand, without the script: nobody to coordinate with.
            return new NoLock();
        }
        var deadline = DateTimeOffset.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // .NET maps FileShare.None to an exclusive flock and other sharing to a shared one.
                return new FileStream(path, FileMode.Open, access, share);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private sealed class NoLock : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
