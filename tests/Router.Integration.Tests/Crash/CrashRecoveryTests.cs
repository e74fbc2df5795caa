using Router.Integration.Tests.Support;
using Router.Sandbox.Hosting;
using Router.Sandbox.RequestLog;

namespace Router.Integration.Tests.Crash;

/// <summary>
/// <c>kill -9</c> of <c>router run</c> in the middle of 2,000 messages, then a restart: every message is delivered,
/// and any repeat at the destination carries the same idempotency key as the first delivery.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Messages = 2000;

    [Test]
    [CancelAfter(300_000)]
    public async Task A_killed_router_loses_nothing_and_repeats_only_with_the_same_idempotency_key()
    {
        using var directory = new TemporaryDirectory();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, $$"""
            router:
              transport: { kind: sqlite }
              storage: { kind: sqlite, path: ./data/router.db }
            endpoints:
              inbox: { kind: folder, path: ./inbox, type: order.created, messageId: $.number, poll: 200ms, batch: 250 }
              platform: { kind: http, url: "{{sandbox.UrlOf("platform/orders")}}", parallelism: 8 }
            routes:
              - id: orders
                from: inbox
                to: [ platform ]
            """);
        var inbox = directory.Combine("inbox");
        Directory.CreateDirectory(inbox);
        var padding = new string('x', 900);
        for (var i = 0; i < Messages; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"order-{i:0000}.json"),
                $$"""{ "number": "{{i:0000}}", "customer": { "email": "c{{i}}@example.ru" }, "note": "{{padding}}" }""");
        }

        using (var running = RouterProcess.Start(directory.Path, "run", "--config", config))
        {
            await RouterFixture.EventuallyAsync(() =>
            {
                Assert.That(running.HasExited, Is.False, "the router exited early:\n" + running.Output);
                return Task.FromResult(Successful(sandbox).Count >= Messages / 4);
            }, "a quarter of the messages delivered", TimeSpan.FromMinutes(3));
            running.KillHard();
        }
        var beforeRestart = Successful(sandbox).Select(r => r.Header("X-Message-Id")).Distinct().Count();
        Assert.That(beforeRestart, Is.LessThan(Messages), "the kill must land mid-flow for this test to mean anything");

        using (var restart = RouterProcess.Start(directory.Path, "run", "--once", "--config", config, "--timeout", "3m"))
        {
            var exit = await restart.WaitForExitAsync(TimeSpan.FromMinutes(4));
            Assert.That(exit, Is.EqualTo(0), restart.Output);
        }

        var requests = sandbox.State.Requests.Query(new RequestLogQuery { Path = "/platform/orders", Limit = 100_000 });
        var byMessage = requests.Where(r => r.Status is >= 200 and < 300).GroupBy(r => r.Header("X-Message-Id")).ToList();
        Assert.That(byMessage, Has.Count.EqualTo(Messages), "every message delivered");
        var keysPerMessage = byMessage.Select(g => g.Select(r => r.IdempotencyKey).Distinct().Count()).ToList();
        Assert.That(keysPerMessage, Is.All.EqualTo(1), "a repeat always carries the first delivery's idempotency key");
        var repeats = byMessage.Sum(g => g.Count() - 1);
        Assert.That(byMessage.SelectMany(g => g.Skip(1)).All(r => r.Repeat), Is.True, "the destination recognised each repeat by its key");
        Assert.That(Directory.GetFiles(inbox, "*.json"), Is.Empty, "every file was taken");
        await TestContext.Out.WriteLineAsync(
            $"kill -9 after {beforeRestart} of {Messages} delivered; after the restart all {Messages} delivered; " +
            $"{repeats} repeat(s) at the destination, each with the same idempotency key as its first delivery");
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task SIGTERM_stops_the_router_gracefully_and_a_restart_finishes_the_rest_exactly_once()
    {
        using var directory = new TemporaryDirectory();
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        sandbox.State.Faults.SetLatency("platform", TimeSpan.FromMilliseconds(200));
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, $$"""
            router:
              storage: { kind: sqlite, path: ./data/router.db }
            endpoints:
              inbox: { kind: folder, path: ./inbox, type: order.created, messageId: $.number, poll: 200ms }
              platform: { kind: http, url: "{{sandbox.UrlOf("platform/orders")}}", parallelism: 2 }
            routes:
              - id: orders
                from: inbox
                to: [ platform ]
            """);
        var inbox = directory.Combine("inbox");
        Directory.CreateDirectory(inbox);
        for (var i = 0; i < 40; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"order-{i:00}.json"), $$"""{ "number": "{{i:00}}", "customer": { "email": "c{{i}}@example.ru" } }""");
        }

        using (var running = RouterProcess.Start(directory.Path, "run", "--config", config))
        {
            await RouterFixture.EventuallyAsync(() => Task.FromResult(Successful(sandbox).Count >= 3), "the first deliveries", TimeSpan.FromMinutes(2));
            running.Terminate();
            Assert.That(await running.WaitForExitAsync(TimeSpan.FromMinutes(2)), Is.EqualTo(0), running.Output);
            Assert.That(running.Output, Does.Contain("Stopped"));
        }
        var startedBeforeStop = sandbox.State.Requests.Query(new RequestLogQuery { Path = "/platform/orders" }).Count;
        Assert.That(Successful(sandbox), Has.Count.EqualTo(startedBeforeStop), "every delivery in flight at the stop was finished, none cut off");
        Assert.That(startedBeforeStop, Is.LessThan(40), "the stop must land mid-flow for this test to mean anything");

        sandbox.State.Faults.SetLatency("platform", TimeSpan.Zero);
        using (var restart = RouterProcess.Start(directory.Path, "run", "--once", "--config", config))
        {
            Assert.That(await restart.WaitForExitAsync(TimeSpan.FromMinutes(3)), Is.EqualTo(0), restart.Output);
        }
        var delivered = Successful(sandbox);
        Assert.That(delivered.Select(r => r.Header("X-Message-Id")).Distinct().Count(), Is.EqualTo(40));
        Assert.That(delivered, Has.Count.EqualTo(40), "a graceful stop repeats nothing");
    }

    private static IReadOnlyList<RequestLogEntry> Successful(RunningSandbox sandbox) =>
        sandbox.State.Requests.Query(new RequestLogQuery { Path = "/platform/orders", Limit = 100_000 })
            .Where(r => r.Status is >= 200 and < 300).ToList();
}
