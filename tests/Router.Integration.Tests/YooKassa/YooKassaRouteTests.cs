using System.Text.Json;
using Router.Integration.Tests.Support;
using Router.Sandbox.Faults;
using Router.Sandbox.YooKassa;

namespace Router.Integration.Tests.YooKassa;

/// <summary>
/// Payment requests routed to the sandbox's YooKassa through the engine: server errors retried with the same
/// Idempotence-Key create each payment once, the payment object comes back as a reply to the routes reading from
/// the endpoint, and a refusal goes to the dead-letter store with YooKassa's own words.
/// </summary>
public sealed class YooKassaRouteTests
{
    private const string Yaml = $$"""
        router:
          storage: { kind: sqlite, path: ./data/router.db }
          http: { listen: "http://127.0.0.1:0" }
        endpoints:
          payments-in: { kind: folder, path: ./inbox, type: payment.requested, messageId: $.orderNumber, entityKey: "'order:' + $.orderNumber" }
          yookassa:
            kind: yookassa
            baseUrl: "{sandbox}/yookassa/v3"
            shopId: "{{YooKassaEmulator.DefaultShopId}}"
            secretKey: {{YooKassaEmulator.DefaultSecretKey}}
            returnUrl: https://shop.example/thanks
            resilience:
              retry: { attempts: 4, delay: 10ms }
          payment-events: { kind: folder, path: ./events, fileName: "{messageId}.json" }
        routes:
          - id: pay
            from: payments-in
            to: [ yookassa ]
          - id: payment-status
            from: yookassa
            to: [ payment-events ]
        """;

    private static string Request(string order, decimal amount, decimal itemPrice) => $$"""
        {"orderNumber":"{{order}}","amount":{"amount":{{amount}},"currency":"RUB"},"description":"Заказ №{{order}}","customer":{"email":"buyer@example.ru"},
         "items":[{"description":"Вентилятор","quantity":1,"unitPrice":{"amount":{{itemPrice}},"currency":"RUB"},"vatCode":1}]}
        """;

    [Test]
    public async Task Server_errors_are_retried_with_the_same_key_each_payment_is_created_once_and_its_status_comes_back_to_the_routes()
    {
        await using var router = await RouterFixture.StartAsync(Yaml);
        var emulator = (YooKassaEmulator)router.Sandbox.State.Find(YooKassaEmulator.EmulatorName)!;
        router.Sandbox.State.Faults.Add(YooKassaEmulator.EmulatorName, FaultSpec.Answer(500, count: 3) with { Path = "/yookassa/v3/payments" });
        foreach (var order in new[] { "1001", "1002", "1003" })
        {
            router.Drop("inbox", order + ".json", Request(order, 990.50m, 990.50m));
        }

        await router.RunOnceAsync();

        Assert.That(emulator.Store.Payments.Select(p => p.Metadata["orderNumber"]).Order(), Is.EqualTo(new[] { "1001", "1002", "1003" }));
        var posts = router.Requests("/yookassa/v3/payments").Where(r => r.Method == "POST").ToList();
        Assert.That(posts.Count(p => p.Status == 500), Is.EqualTo(3));
        Assert.That(posts.GroupBy(p => p.IdempotencyKey).Count(), Is.EqualTo(3), "one key per payment, repeated on every retry");
        foreach (var payment in emulator.Store.Payments)
        {
            var reply = Path.Combine(router.Path("events"), $"yookassa:payment:{payment.Id}:pending.json");
            var file = Directory.GetFiles(router.Path("events")).Single(f => f.Contains(payment.Id));
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("pending"), reply);
            Assert.That(json.RootElement.GetProperty("orderNumber").GetString(), Is.EqualTo(payment.Metadata["orderNumber"]));
            Assert.That(json.RootElement.GetProperty("confirmationUrl").GetString(), Does.Contain(payment.Id));
        }
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task A_payment_YooKassa_refuses_is_dead_lettered_with_its_code_description_and_parameter()
    {
        await using var router = await RouterFixture.StartAsync(Yaml);
        router.Drop("inbox", "2001.json", Request("2001", 1000m, 900m));

        await router.RunOnceAsync();

        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That(dead.Endpoint, Is.EqualTo("yookassa"));
        Assert.That(dead.ErrorCode, Is.EqualTo("yookassa-invalid_request"));
        Assert.That(dead.ErrorMessage, Does.Contain("receipt.items").And.Contain("does not match"));
        Assert.That(dead.ErrorMessage + dead.ErrorDetails, Does.Not.Contain(YooKassaEmulator.DefaultSecretKey));
        var posts = router.Requests("/yookassa/v3/payments").Where(r => r.Method == "POST").ToList();
        Assert.That(posts, Has.Count.EqualTo(1), "a 4xx is not retried");
    }
}
