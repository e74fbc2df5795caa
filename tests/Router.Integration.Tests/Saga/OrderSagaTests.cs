using System.Text.Json;
using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Saga;

/// <summary>
/// The order saga on the embedded default (SQLite transport and state): what it sends to each partner, once, for
/// each course an order can take, with the partners played by folders (their commands are recorded as files; their
/// events are dropped into inbound folders).
/// </summary>
public sealed class OrderSagaTests
{
    [Test]
    public Task An_order_is_paid_shipped_and_delivered_with_each_command_and_notification_sent_once() => HappyPathAsync(SagaYaml.Config());

    [Test]
    public Task On_the_in_memory_transport_the_saga_keeps_its_state_in_memory_and_runs_the_same() =>
        HappyPathAsync(SagaYaml.Config(transport: "transport: { kind: inmemory }"));

    [Test]
    public async Task On_postgresql_the_saga_keeps_its_state_with_Rebus_PostgreSql_and_runs_the_same()
    {
        await using var schema = await Router.Testing.PostgresTestSchema.CreateAsync("saga");
        var variable = $"ROUTER_TEST_PG_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, schema.ConnectionString);
        try
        {
            await HappyPathAsync(SagaYaml.Config(
                transport: $"transport: {{ kind: postgresql, connection: \"${{env:{variable}}}\" }}",
                storage: $"storage: {{ kind: postgresql, connection: \"${{env:{variable}}}\" }}"));
            var sagas = await schema.ExecuteAsync($"SELECT count(*) FROM \"{schema.Name}\".router_saga_data");
            Assert.That(sagas, Is.EqualTo(1L), "the saga's state is in the router's schema");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static async Task HappyPathAsync(string yaml)
    {
        await using var router = await RouterFixture.StartAsync(yaml);
        await Feed(router, "orders", "1001.json", SagaYaml.Order("1001"));

        var payment = Command(router, "yookassa", "order:1001/payment");
        Assert.Multiple(() =>
        {
            Assert.That(payment.GetProperty("type").GetString(), Is.EqualTo("payment.requested"));
            Assert.That(payment.GetProperty("entityKey").GetString(), Is.EqualTo("order:1001"));
            Assert.That(payment.GetProperty("correlationId").GetString(), Is.EqualTo("order:1001/created"));
            Assert.That(payment.GetProperty("causationId").GetString(), Is.EqualTo("order:1001/created"));
            var body = payment.GetProperty("payload");
            Assert.That(body.GetProperty("amount").GetProperty("amount").GetDecimal(), Is.EqualTo(2550.50m));
            Assert.That(body.GetProperty("description").GetString(), Is.EqualTo("Заказ №1001"));
            Assert.That(body.GetProperty("returnUrl").GetString(), Is.EqualTo("https://shop.example/orders/1001"));
            Assert.That(body.GetProperty("items").GetArrayLength(), Is.EqualTo(3), "two lines and delivery");
        });
        Assert.That(Files(router, "sms"), Is.Empty, "nobody is told anything before the payment exists");

        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1001", "pending"));
        var accepted = Command(router, "sms", "order:1001/notify/order-accepted/sms").GetProperty("payload");
        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetProperty("recipient").GetString(), Is.EqualTo("+79161234567"));
            Assert.That(accepted.GetProperty("template").GetString(), Is.EqualTo("order-accepted"));
            Assert.That(accepted.GetProperty("data").GetProperty("paymentUrl").GetString(), Does.Contain("pay-1"));
            Assert.That(accepted.GetProperty("data").GetProperty("amount").GetString(), Is.EqualTo("2550.50"));
        });
        Assert.That(Command(router, "email", "order:1001/notify/order-accepted/email").GetProperty("payload").GetProperty("recipient").GetString(),
            Is.EqualTo("buyer@example.ru"));

        await Feed(router, "payments", "p2.json", SagaYaml.Payment("1001", "succeeded"));
        var shipment = Command(router, "cdek", "order:1001/shipment").GetProperty("payload");
        Assert.Multiple(() =>
        {
            Assert.That(shipment.GetProperty("carrier").GetString(), Is.EqualTo("cdek"));
            Assert.That(shipment.GetProperty("tariff").GetString(), Is.EqualTo("136"));
            Assert.That(shipment.GetProperty("pickupPointId").GetString(), Is.EqualTo("MSK123"));
            Assert.That(shipment.GetProperty("recipient").GetProperty("phone").GetString(), Is.EqualTo("+79161234567"));
        });
        Assert.That(Command(router, "onec-orders", "order:1001/onec").GetProperty("type").GetString(), Is.EqualTo("order.created"));
        Assert.That(Command(router, "sms", "order:1001/notify/order-paid/sms").GetProperty("payload").GetProperty("template").GetString(), Is.EqualTo("order-paid"));

        // The same success again under another message id (a webhook after the create reply): nothing more happens.
        await Feed(router, "payments", "p3.json", SagaYaml.Payment("1001", "succeeded", via: "webhook"));
        // The very same event file again: the route's inbox skips it.
        await Feed(router, "payments", "p2-again.json", SagaYaml.Payment("1001", "succeeded"));

        await Feed(router, "shipments", "s1.json", SagaYaml.Shipment("1001", "created"));
        await Feed(router, "shipments", "s2.json", SagaYaml.Shipment("1001", "accepted"));
        await Feed(router, "shipments", "s3.json", SagaYaml.Shipment("1001", "arrived-at-pickup-point"));
        await Feed(router, "shipments", "s4.json", SagaYaml.Shipment("1001", "delivered"));

        var trace = await router.TraceAsync("order:1001");
        Assert.Multiple(() =>
        {
            Assert.That(Delivered(trace, "yookassa"), Is.EqualTo(new[] { "order:1001/payment" }));
            Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { "order:1001/shipment" }));
            Assert.That(Delivered(trace, "onec-orders"), Is.EqualTo(new[] { "order:1001/onec" }));
            Assert.That(Delivered(trace, "sms"), Is.EqualTo(new[]
            {
                "order:1001/notify/order-accepted/sms", "order:1001/notify/order-paid/sms", "order:1001/notify/order-shipped/sms",
                "order:1001/notify/order-ready-for-pickup/sms",
            }));
            Assert.That(Delivered(trace, "email"), Has.Count.EqualTo(4));
            Assert.That(Delivered(trace, "boxberry"), Is.Empty);
        });
        var story = Saga(trace);
        Assert.That(story, Has.Count.EqualTo(8), string.Join("\n", story));
        Assert.Multiple(() =>
        {
            Assert.That(story[0], Does.StartWith("order 1001: created -> payment of 2550.50 RUB requested from yookassa"));
            Assert.That(story[2], Is.EqualTo("order 1001: paid (2550.50 RUB) -> shipment requested from cdek, order sent to onec-orders, customer notified (sms, email)"));
            Assert.That(story[3], Does.Contain("already paid, nothing to do"));
            Assert.That(story[^1], Does.Contain("delivered").And.Contain("order complete"));
        });
        Assert.That(trace.Count(e => e.Step == JournalSteps.Duplicate), Is.EqualTo(1), "the repeated event file");
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task An_order_not_paid_in_time_is_cancelled_once_and_a_late_payment_is_refunded()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config(paymentTimeout: "1s"));
        await Feed(router, "orders", "1002.json", SagaYaml.Order("1002"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1002", "pending", paymentId: "pay-2"));

        await RouterFixture.EventuallyAsync(async () => Saga(await router.TraceAsync("order:1002")).Any(s => s.Contains("-> cancelled")), "the payment timeout");
        await router.DrainAsync();
        var trace = await router.TraceAsync("order:1002");
        Assert.That(Saga(trace).Last(), Is.EqualTo("order 1002: not paid within 1s -> cancelled: payment pay-2 not taken, left to expire, customer notified (sms, email)"));
        Assert.That(Delivered(trace, "sms"), Is.EqualTo(new[] { "order:1002/notify/order-accepted/sms", "order:1002/notify/order-cancelled/sms" }));
        Assert.That(Delivered(trace, "cdek").Concat(Delivered(trace, "onec-orders")), Is.Empty, "nothing was shipped or sent to 1C");

        // The buyer pays after all: the order stays cancelled and the money goes back.
        await Feed(router, "payments", "p2.json", SagaYaml.Payment("1002", "succeeded", paymentId: "pay-2"));
        trace = await router.TraceAsync("order:1002");
        Assert.That(Delivered(trace, "yookassa"), Is.EqualTo(new[] { "order:1002/payment", "order:1002/refund" }));
        var refund = Command(router, "yookassa", "order:1002/refund").GetProperty("payload");
        Assert.That(refund.GetProperty("paymentId").GetString(), Is.EqualTo("pay-2"));
        Assert.That(refund.GetProperty("amount").GetProperty("amount").GetDecimal(), Is.EqualTo(2550.50m));
        Assert.That(Delivered(trace, "cdek"), Is.Empty);
        Assert.That(Delivered(trace, "sms").Count(id => id.Contains("order-cancelled")), Is.EqualTo(1));
    }

    [Test]
    public async Task A_payment_cancelled_after_the_shipment_was_created_cancels_the_shipment_and_notifies_the_customer_once()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1003.json", SagaYaml.Order("1003"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1003", "succeeded", paymentId: "pay-3"));
        await Feed(router, "shipments", "s1.json", SagaYaml.Shipment("1003", "created"));

        await Feed(router, "payments", "p2.json", SagaYaml.Payment("1003", "canceled", paymentId: "pay-3"));
        await Feed(router, "payments", "p3.json", SagaYaml.Payment("1003", "canceled", paymentId: "pay-3", via: "webhook"));
        await Feed(router, "cancels", "c1.json", SagaYaml.Cancellation("1003"));

        var trace = await router.TraceAsync("order:1003");
        Assert.Multiple(() =>
        {
            Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { "order:1003/shipment", "order:1003/shipment-cancel" }));
            Assert.That(Delivered(trace, "onec-orders"), Is.EqualTo(new[] { "order:1003/onec", "order:1003/onec-cancel" }));
            Assert.That(Delivered(trace, "yookassa"), Is.EqualTo(new[] { "order:1003/payment" }), "a cancelled payment is neither refunded nor cancelled again");
            Assert.That(Delivered(trace, "sms").Count(id => id.EndsWith("order-cancelled/sms", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(Delivered(trace, "email").Count(id => id.EndsWith("order-cancelled/email", StringComparison.Ordinal)), Is.EqualTo(1));
        });
        var cancel = Command(router, "cdek", "order:1003/shipment-cancel").GetProperty("payload");
        Assert.That(cancel.GetProperty("carrier").GetString(), Is.EqualTo("cdek"));
        Assert.That(Command(router, "onec-orders", "order:1003/onec-cancel").GetProperty("type").GetString(), Is.EqualTo("order.cancelled"));
        var story = Saga(trace);
        Assert.That(story, Has.Some.EqualTo(
            "order 1003: payment cancelled -> cancelled: shipment cancel requested from cdek, onec-orders told, customer notified (sms, email)"));
        Assert.That(story.Count(s => s.Contains("nothing more to do") || s.Contains("already cancelled")), Is.EqualTo(2), string.Join("\n", story));
    }

    [Test]
    public async Task A_shipment_the_carrier_refuses_refunds_the_payment_tells_1C_and_the_customer_once()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1004.json", SagaYaml.Order("1004", method: "boxberry"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1004", "succeeded", paymentId: "pay-4"));
        await Feed(router, "shipments", "s1.json", SagaYaml.Shipment("1004", "invalid", carrier: "boxberry", reason: "Пункт выдачи закрыт"));
        await Feed(router, "shipments", "s2.json", SagaYaml.Shipment("1004", "invalid", carrier: "boxberry-again", reason: "Пункт выдачи закрыт"));

        var trace = await router.TraceAsync("order:1004");
        Assert.Multiple(() =>
        {
            Assert.That(Delivered(trace, "boxberry"), Is.EqualTo(new[] { "order:1004/shipment" }), "a refused shipment has nothing to cancel");
            Assert.That(Delivered(trace, "yookassa"), Is.EqualTo(new[] { "order:1004/payment", "order:1004/refund" }));
            Assert.That(Delivered(trace, "onec-orders"), Is.EqualTo(new[] { "order:1004/onec", "order:1004/onec-cancel" }));
            Assert.That(Delivered(trace, "sms").Count(id => id.Contains("order-cancelled")), Is.EqualTo(1));
        });
        Assert.That(Command(router, "boxberry", "order:1004/shipment").GetProperty("payload").GetProperty("tariff").GetString(), Is.EqualTo("1"));
        var cancelled = Command(router, "email", "order:1004/notify/order-cancelled/email").GetProperty("payload").GetProperty("data");
        Assert.That(cancelled.GetProperty("reason").GetString(), Does.Contain("Пункт выдачи закрыт"));
    }

    [Test]
    public async Task An_order_cancelled_after_it_was_paid_is_refunded_and_its_shipment_cancelled()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1005.json", SagaYaml.Order("1005"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1005", "succeeded", paymentId: "pay-5"));
        await Feed(router, "cancels", "c1.json", SagaYaml.Cancellation("1005"));
        // Events after the cancellation change nothing.
        await Feed(router, "shipments", "s1.json", SagaYaml.Shipment("1005", "created"));

        var trace = await router.TraceAsync("order:1005");
        Assert.Multiple(() =>
        {
            Assert.That(Delivered(trace, "yookassa"), Is.EqualTo(new[] { "order:1005/payment", "order:1005/refund" }));
            Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { "order:1005/shipment", "order:1005/shipment-cancel" }));
            Assert.That(Delivered(trace, "sms").Where(id => id.Contains("shipped")), Is.Empty);
        });
        Assert.That(Saga(trace), Has.Some.StartsWith("order 1005: cancelled: покупатель передумал -> cancelled: shipment cancel requested from cdek, refund of 2550.50 RUB requested from yookassa"));
    }

    [Test]
    public async Task The_saga_state_survives_a_restart_of_the_host()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1006.json", SagaYaml.Order("1006"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1006", "pending", paymentId: "pay-6"));
        await router.RestartAsync();

        await Feed(router, "payments", "p2.json", SagaYaml.Payment("1006", "succeeded", paymentId: "pay-6"));
        await Feed(router, "payments", "p3.json", SagaYaml.Payment("1006", "pending", paymentId: "pay-6", via: "late"));
        var trace = await router.TraceAsync("order:1006");
        Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { "order:1006/shipment" }));
        Assert.That(Delivered(trace, "sms"), Is.EqualTo(new[] { "order:1006/notify/order-accepted/sms", "order:1006/notify/order-paid/sms" }),
            "the acceptance notice was remembered across the restart");
        Assert.That(Saga(trace), Has.Some.StartsWith("order 1006: paid (2550.50 RUB)"));
    }

    [Test]
    public async Task Events_for_the_same_order_handled_at_once_are_all_applied_by_retrying_on_the_newer_state()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config(sagaParallelism: 8));
        var orders = Enumerable.Range(2001, 6).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var number in orders)
        {
            router.Drop("in/orders", number + ".json", SagaYaml.Order(number));
        }
        await router.RunOnceAsync();
        // Each order's pending and succeeded events arrive together and are handled in parallel: one of each pair
        // finds the state changed under it, fails its commit and is handled again on the new state.
        foreach (var number in orders)
        {
            router.Drop("in/payments", number + "-pending.json", SagaYaml.Payment(number, "pending", paymentId: "pay-" + number));
            router.Drop("in/payments", number + "-succeeded.json", SagaYaml.Payment(number, "succeeded", paymentId: "pay-" + number));
            router.Drop("in/shipments", number + "-created.json", SagaYaml.Shipment(number, "created"));
        }
        await router.RunOnceAsync();

        foreach (var number in orders)
        {
            var trace = await router.TraceAsync("order:" + number);
            Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { $"order:{number}/shipment" }), number);
            Assert.That(Delivered(trace, "sms").Where(id => id.Contains("order-paid")).ToList(), Has.Count.EqualTo(1), number);
            Assert.That(Saga(trace).Count(s => s.Contains(": paid (")), Is.EqualTo(1), number);
        }
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task A_redelivered_event_is_a_duplicate_on_the_sagas_leg_and_changes_nothing()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1008.json", SagaYaml.Order("1008"));
        var succeeded = new Router.Core.Messages.Envelope
        {
            MessageId = "yookassa:payment:pay-8:succeeded",
            Type = "payment.status-changed",
            Source = "payments-in",
            EntityKey = "order:1008",
            OccurredAt = DateTimeOffset.UtcNow,
            Payload = Router.Core.Messages.RouterJson.ParseElement(SagaYaml.Payment("1008", "succeeded", paymentId: "pay-8")),
        };
        // What a redelivery of the leg looks like (a crash after the partner answered, a replay): the same delivery twice.
        for (var i = 0; i < 2; i++)
        {
            await router.Engine.OneWayBus.Advanced.Routing.Send("deliver.order-saga", new Router.Core.Routing.DeliveryMessage("payments", "order-saga", succeeded));
            await router.DrainAsync();
        }

        var trace = await router.TraceAsync("order:1008");
        Assert.That(trace.Count(e => e.Step == JournalSteps.Duplicate && e.Endpoint == "order-saga" && e.MessageId == succeeded.MessageId), Is.EqualTo(1));
        Assert.That(Saga(trace).Count(s => s.Contains(": paid (")), Is.EqualTo(1));
        Assert.That(Delivered(trace, "cdek"), Is.EqualTo(new[] { "order:1008/shipment" }));
    }

    [Test]
    public async Task A_message_about_no_order_or_an_order_that_cannot_ship_is_dead_lettered_and_nothing_is_sent()
    {
        await using var router = await RouterFixture.StartAsync(SagaYaml.Config());
        await Feed(router, "orders", "1007.json", SagaYaml.Order("1007", method: "pochta"));
        await Feed(router, "payments", "p1.json", SagaYaml.Payment("1999", "succeeded", paymentId: "pay-x"));

        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That(dead.Endpoint, Is.EqualTo("order-saga"));
        Assert.That(dead.ErrorMessage, Does.Contain("delivery method 'pochta'"));
        Assert.That(Files(router, "yookassa"), Is.Empty);
        Assert.That(Saga(await router.TraceAsync("order:1999")).Single(), Does.Contain("has not seen"));
    }

    private static async Task Feed(RouterFixture router, string folder, string name, string json)
    {
        router.Drop("in/" + folder, name, json);
        await router.RunOnceAsync();
    }

    private static List<string> Files(RouterFixture router, string partner)
    {
        var folder = router.Path("out", partner);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList() : [];
    }

    /// <summary>The envelope recorded for the command with this message id (files are named after it).</summary>
    private static JsonElement Command(RouterFixture router, string partner, string messageId)
    {
        var folder = router.Path("out", partner);
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
        {
            var envelope = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            if (envelope.GetProperty("messageId").GetString() == messageId)
            {
                return envelope;
            }
        }
        Assert.Fail($"{partner} got no {messageId}; it has: {string.Join(", ", Files(router, partner))}");
        return default;
    }

    private static List<string> Delivered(IReadOnlyList<JournalEntry> trace, string endpoint) =>
        trace.Where(e => e.Step == JournalSteps.Delivered && e.Endpoint == endpoint).Select(e => e.MessageId).ToList();

    private static List<string> Saga(IReadOnlyList<JournalEntry> trace) =>
        trace.Where(e => e.Step == JournalSteps.Saga).Select(e => e.Detail ?? "").ToList();
}
