using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Router.Core.Stores;
using Router.Integration.Tests.Cli;
using Router.Integration.Tests.Support;
using Router.Sandbox.Boxberry;
using Router.Sandbox.Cdek;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.YooKassa;
using Router.Storage.Sqlite;

namespace Router.Integration.Tests.Partners;

/// <summary>
/// Issue 4's demonstration: 500 orders through the quickstart's order journey on a real `router run` process, while
/// every partner emulator throws 5xx bursts, 429s, hangs and connection resets at it. Counted at the emulators, every
/// order is paid once and shipped once, or is in the dead-letter store with a reason; nothing is paid or shipped twice.
/// </summary>
[Category("FaultRun")]
public sealed partial class PartnerFaultRunTests
{
    private const int Orders = 500;
    private const string CdekSecret = "quickstart-cdek-webhook-secret";

    [Test]
    public async Task Five_hundred_orders_under_partner_faults_are_paid_and_shipped_once_each_or_dead_lettered_with_a_reason()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out var sandboxUrl);
        var yaml = await File.ReadAllTextAsync(config);
        var listen = ListenUrl().Match(yaml).Groups[1].Value;
        // Short redeliveries and timeouts, so a fault costs seconds rather than the production minutes.
        yaml = yaml.Replace("redelivery: { delays: [30s, 2m, 10m] }", "redelivery: { delays: [1s, 2s, 4s, 8s] }", StringComparison.Ordinal)
            .Replace("timeout: 10s", "timeout: 3s", StringComparison.Ordinal)
            .Replace("breakDuration: 1m", "breakDuration: 5s", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, yaml);

        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { Url = sandboxUrl }, CancellationToken.None);
        var yookassa = (YooKassaEmulator)sandbox.State.Find(YooKassaEmulator.EmulatorName)!;
        var cdek = (CdekEmulator)sandbox.State.Find(CdekEmulator.EmulatorName)!;
        var boxberry = (BoxberryEmulator)sandbox.State.Find(BoxberryEmulator.EmulatorName)!;
        // Six messages per order at the sandbox's price; its default balance is a few hundred.
        ((Router.Sandbox.SmsRu.SmsRuEmulator)sandbox.State.Find(Router.Sandbox.SmsRu.SmsRuEmulator.EmulatorName)!).Balance = 1_000_000m;
        yookassa.Configure(yookassa.Settings with { WebhookUrl = listen + "/webhooks/yookassa", AutoPayAfterMs = 200, WebhookRetryIntervalMs = 500 });
        cdek.Settings = cdek.Settings with { WebhookUrl = $"{listen}/webhooks/cdek/{CdekSecret}" };

        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        for (var i = 0; i < Orders; i++)
        {
            var path = Path.Combine(inbox, $"order-{Number(i)}.json");
            await File.WriteAllTextAsync(path, OrderJson(i), Encoding.UTF8);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        }

        using var router = RouterProcess.Start(directory.Path, "run", "--config", config);
        // Two waves of faults while orders are in flight, in every partner the journey touches.
        await RouterFixture.EventuallyAsync(() => Task.FromResult(yookassa.Store.Payments.Count >= 50 || router.HasExited),
            "the first payments", TimeSpan.FromMinutes(3));
        Inject(sandbox.State.Faults);
        await RouterFixture.EventuallyAsync(() => Task.FromResult(yookassa.Store.Payments.Count >= 250 || router.HasExited),
            "half the payments", TimeSpan.FromMinutes(5));
        Inject(sandbox.State.Faults);

        // Settled: every order shipped, or nothing new reached any emulator for a while (the rest are dead letters).
        var lastSeen = -1;
        var quietSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(12);
        while (DateTime.UtcNow < deadline && !router.HasExited)
        {
            var seen = sandbox.State.Requests.Query(new Router.Sandbox.RequestLog.RequestLogQuery()).Count;
            var shipped = cdek.Store.Orders.Count + boxberry.Parcels.Count;
            if (seen != lastSeen)
            {
                (lastSeen, quietSince) = (seen, DateTime.UtcNow);
            }
            if (shipped >= Orders && DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(5) || DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(45))
            {
                break;
            }
            await Task.Delay(1000);
        }
        Assert.That(router.HasExited, Is.False, "the router process died:\n" + router.Output);
        router.Terminate();
        await router.WaitForExitAsync(TimeSpan.FromMinutes(1));

        await using var state = SqliteRouterState.Open(directory.Combine("data", "router.db"));
        var deadLetters = await state.DeadLetters.ListAsync(new DeadLetterQuery { Limit = 10_000 }, CancellationToken.None);
        var report = Tally(yookassa, cdek, boxberry, deadLetters);
        TestContext.Out.WriteLine(report.Text);
        if (report.Unaccounted.Count > 0)
        {
            TestContext.Out.WriteLine(router.Output[Math.Max(0, router.Output.Length - 6000)..]);
        }

        Assert.That(report.PaidTwice, Is.Empty, "orders with more than one successful payment");
        Assert.That(report.ShippedTwice, Is.Empty, "orders with more than one shipment");
        Assert.That(report.Unaccounted, Is.Empty, "orders neither paid and shipped nor dead-lettered\n" + report.Text);
        Assert.That(deadLetters.Where(d => string.IsNullOrWhiteSpace(d.ErrorMessage)), Is.Empty, "every dead letter says why");
        Assert.That(report.Completed, Is.GreaterThan(Orders / 2), "most orders make it through bounded fault bursts\n" + report.Text);
    }

    private static void Inject(FaultBoard faults)
    {
        foreach (var emulator in new[] { YooKassaEmulator.EmulatorName, CdekEmulator.EmulatorName, BoxberryEmulator.EmulatorName, Router.Sandbox.SmsRu.SmsRuEmulator.EmulatorName, Router.Sandbox.OneC.OneCEmulator.EmulatorName })
        {
            faults.Add(emulator, FaultSpec.Answer(500, count: 4));
            faults.Add(emulator, FaultSpec.Answer(503, count: 2));
            faults.Add(emulator, FaultSpec.TooManyRequests("1", count: 3));
            faults.Add(emulator, FaultSpec.Hang(count: 2));
            faults.Add(emulator, FaultSpec.ResetConnection(count: 3));
        }
    }

    private sealed record FaultRunReport(string Text, int Completed, IReadOnlyList<string> PaidTwice, IReadOnlyList<string> ShippedTwice, IReadOnlyList<string> Unaccounted);

    private static FaultRunReport Tally(YooKassaEmulator yookassa, CdekEmulator cdek, BoxberryEmulator boxberry, IReadOnlyList<DeadLetter> deadLetters)
    {
        var payments = yookassa.Store.Payments.GroupBy(p => p.Metadata.GetValueOrDefault("orderNumber") ?? "?").ToDictionary(g => g.Key, g => g.ToList());
        var shipments = cdek.Store.Orders.Select(o => o.Number ?? "?").Concat(boxberry.Parcels.Select(p => p.OrderId))
            .GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        // A notification that failed does not account for an order that was not paid or shipped.
        var deadByOrder = deadLetters.Where(d => d.EntityKey is { } key && key.StartsWith("order:", StringComparison.Ordinal) && d.Endpoint is not ("sms" or "email"))
            .GroupBy(d => d.EntityKey!["order:".Length..]).ToDictionary(g => g.Key, g => g.ToList());
        var completed = 0;
        var paidTwice = new List<string>();
        var shippedTwice = new List<string>();
        var unaccounted = new List<string>();
        for (var i = 0; i < Orders; i++)
        {
            var number = Number(i);
            var succeeded = payments.GetValueOrDefault(number)?.Count(p => p.Status == "succeeded") ?? 0;
            var shipped = shipments.GetValueOrDefault(number);
            if (succeeded > 1)
            {
                paidTwice.Add(number);
            }
            if (shipped > 1)
            {
                shippedTwice.Add(number);
            }
            if (succeeded == 1 && shipped == 1)
            {
                completed++;
            }
            else if (!deadByOrder.ContainsKey(number))
            {
                unaccounted.Add($"{number} (payments {payments.GetValueOrDefault(number)?.Count ?? 0}, succeeded {succeeded}, shipments {shipped})");
            }
        }
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{Orders} orders: {completed} paid and shipped exactly once; {deadByOrder.Count} with dead letters; {unaccounted.Count} unaccounted")
            .AppendLine(CultureInfo.InvariantCulture, $"payments created {yookassa.Store.Payments.Count}, CDEK orders {cdek.Store.Orders.Count}, Boxberry parcels {boxberry.Parcels.Count}")
            .AppendLine("dead letters by leg and code:");
        foreach (var group in deadLetters.GroupBy(d => $"{d.Route}/{d.Endpoint ?? "(route)"} {d.ErrorCode}").OrderByDescending(g => g.Count()))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Count(),4}  {group.Key}: {group.First().ErrorMessage}");
        }
        foreach (var line in unaccounted.Take(20))
        {
            text.AppendLine("  unaccounted: " + line);
        }
        return new FaultRunReport(text.ToString(), completed, paidTwice, shippedTwice, unaccounted);
    }

    private static string Number(int i) => (20000 + i).ToString(CultureInfo.InvariantCulture);

    private static string OrderJson(int i)
    {
        var cdek = i % 2 == 0;
        return $$"""
            {
              "orderNumber": "{{Number(i)}}",
              "version": 1,
              "createdAt": "2026-11-20T10:15:00+03:00",
              "client": { "id": "C-{{i}}", "fullName": "Покупатель {{i}}", "email": "buyer{{i}}@example.ru", "tel": "+7 916 {{(1000000 + i).ToString(CultureInfo.InvariantCulture)}}" },
              "items": [ { "code": "SKU-{{i % 7}}", "title": "Товар {{i % 7}}", "count": 1, "price": 1000.00 } ],
              "sum": 1300.00,
              "deliveryMethod": "{{(cdek ? "cdek" : "boxberry")}}",
              "pickupPoint": "{{(cdek ? "MSK123" : "77051")}}",
              "deliveryCost": 300.00
            }
            """;
    }

    [GeneratedRegex(@"listen: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListenUrl();
}
