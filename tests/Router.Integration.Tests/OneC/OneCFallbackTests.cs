using System.Text;
using Router.Core.Stores;
using Router.Integration.Tests.Support;
using Router.Sandbox.OneC;
using Router.Testing;

namespace Router.Integration.Tests.OneC;

/// <summary>
/// Orders go to 1C's HTTP service; while its breaker is open they are written as CommerceML documents to the FTP
/// exchange folder instead (the fallback endpoint's own steps render them), and once 1C answers again HTTP resumes.
/// Every order reaches 1C exactly once, by one way or the other.
/// </summary>
public sealed class OneCFallbackTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(2);

    static OneCFallbackTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Test]
    public async Task While_1C_HTTP_is_down_orders_go_to_the_FTP_exchange_folder_as_CommerceML_and_HTTP_resumes_after()
    {
        var url = TestServers.Require("ROUTER_TEST_FTP_URL");
        var user = TestServers.Require("ROUTER_TEST_FTP_USER");
        TestServers.Require("ROUTER_TEST_FTP_PASSWORD");
        var folder = "fallback-" + Guid.NewGuid().ToString("N")[..12];
        var exchange = Path.Combine(TestServers.Require("ROUTER_TEST_FTP_ROOT"), folder);
        Directory.CreateDirectory(exchange);
        try
        {
            var yaml = $$"""
                router:
                  storage: { kind: sqlite, path: ./data/router.db }
                endpoints:
                  orders-in: { kind: folder, path: ./inbox, type: order.created, messageId: $.number, entityKey: "'order:' + $.number" }
                  onec-hs:
                    kind: onec-http
                    mode: service
                    baseUrl: "{sandbox}/{{OneCEmulator.EmulatorName}}"
                    user: {{OneCEmulator.DefaultUser}}
                    password: {{OneCEmulator.DefaultPassword}}
                    parallelism: 1
                    fallback: onec-files
                    resilience:
                      retry: { attempts: 0 }
                      circuitBreaker: { failureRatio: 0.5, minimumThroughput: 2, samplingDuration: 30s, breakDuration: {{BreakDuration.TotalSeconds}}s }
                      redelivery: { delays: [200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms] }
                  onec-files:
                    kind: onec-ftp
                    url: {{url}}
                    user: {{user}}
                    password: ${env:ROUTER_TEST_FTP_PASSWORD}
                    path: /{{folder}}
                    fileName: "orders-{messageId}.xml"
                    steps:
                      - commerceml-order: { encoding: windows-1251 }
                routes:
                  - id: orders-to-1c
                    from: orders-in
                    to: [ onec-hs ]
                """;
            await using var router = await RouterFixture.StartAsync(yaml);
            var onec = (OneCEmulator)router.Sandbox.State.Find(OneCEmulator.EmulatorName)!;

            router.Sandbox.State.Faults.SetDown(OneCEmulator.EmulatorName, true);
            var whileDown = Numbers(5001, 6);
            DropOrders(router, whileDown);
            await router.RunOnceAsync();
            await RouterFixture.EventuallyAsync(() => Task.FromResult(ExchangeFiles(exchange).Count == whileDown.Count),
                "every order written while 1C was down is in the exchange folder");

            Assert.That(onec.Store.Orders, Is.Empty, "1C's HTTP service was down the whole time");
            foreach (var number in whileDown)
            {
                var trace = await router.TraceAsync(number);
                Assert.That(trace.Count(e => e.Step == JournalSteps.Fallback), Is.EqualTo(1), $"order {number}: one fallback in the journal");
                var bytes = await File.ReadAllBytesAsync(Path.Combine(exchange, $"orders-{number}.xml"));
                var text = Encoding.GetEncoding("windows-1251").GetString(bytes);
                Assert.That(text, Does.StartWith("<?xml version=\"1.0\" encoding=\"windows-1251\"?>"));
                Assert.That(text, Does.Contain($"<Номер>{number}</Номер>").And.Contain("Заказ товара").And.Contain("Иван Петров"));
            }

            router.Sandbox.State.Faults.SetDown(OneCEmulator.EmulatorName, false);
            // Past the break the next delivery is the breaker's trial; once it succeeds the breaker closes again.
            await Task.Delay(BreakDuration + TimeSpan.FromMilliseconds(500));
            var afterwards = Numbers(5101, 6);
            DropOrders(router, afterwards);
            await router.RunOnceAsync();
            await RouterFixture.EventuallyAsync(() => Task.FromResult(onec.Store.Orders.Count == afterwards.Count),
                "every order written after 1C came back reached its HTTP service");

            var overHttp = onec.Store.Orders.Select(o => o.Data.GetProperty("number").GetString()!).Order().ToList();
            var overFtp = ExchangeFiles(exchange).Select(f => f["orders-".Length..^".xml".Length]).Order().ToList();
            Assert.That(overHttp, Is.EqualTo(afterwards), "HTTP resumed for the later orders");
            Assert.That(overFtp, Is.EqualTo(whileDown), "the exchange folder holds exactly the orders from the outage");
            Assert.That(overHttp.Intersect(overFtp), Is.Empty, "no order went both ways");
            Assert.That(await router.DeadLettersAsync(), Is.Empty);
            Assert.That(Directory.GetFiles(exchange, "*.tmp"), Is.Empty, "no half-written upload is left behind");
        }
        finally
        {
            Directory.Delete(exchange, recursive: true);
        }
    }

    private static List<string> Numbers(int first, int count) =>
        Enumerable.Range(first, count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static List<string> ExchangeFiles(string exchange) =>
        Directory.GetFiles(exchange, "orders-*.xml").Select(f => Path.GetFileName(f)!).ToList();

    private static void DropOrders(RouterFixture router, IEnumerable<string> numbers)
    {
        foreach (var number in numbers)
        {
            router.Drop("inbox", $"{number}.json", $$"""
                {
                  "number": "{{number}}",
                  "createdAt": "2026-11-25T09:30:00+03:00",
                  "customer": { "id": "c-{{number}}", "name": "Иван Петров", "email": "ivan@example.ru", "phone": "+79001234567" },
                  "lines": [ { "sku": "ART-1", "name": "Вентилятор", "quantity": 2,
                               "unitPrice": { "amount": 1500, "currency": "RUB" }, "total": { "amount": 3000, "currency": "RUB" } } ],
                  "totals": { "total": { "amount": 3000, "currency": "RUB" } }
                }
                """);
        }
    }
}
