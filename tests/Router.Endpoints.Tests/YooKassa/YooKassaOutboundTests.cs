using System.Text;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.YooKassa;
using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;
using Router.Sandbox.YooKassa;
using static Router.Endpoints.Tests.YooKassa.YooKassaHarness;

namespace Router.Endpoints.Tests.YooKassa;

/// <summary>The yookassa endpoint's commands against the sandbox's YooKassa: wire format, idempotence keys, answers and replies.</summary>
public sealed class YooKassaOutboundTests
{
    private YooKassaHarness harness = null!;

    [OneTimeSetUp]
    public async Task Start() => harness = await StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [SetUp]
    public Task Reset() => harness.ResetAsync();

    [TearDown]
    public void NoSecretWasLogged()
    {
        var authorization = harness.Options().Authorization;
        foreach (var line in harness.Log.Lines())
        {
            Assert.That(line, Does.Not.Contain(YooKassaEmulator.DefaultSecretKey).And.Not.Contain(authorization["Basic ".Length..]), line);
        }
    }

    private Task<IReadOnlyList<RequestLogEntry>> PostsAsync(string path = "/yookassa/v3/payments") =>
        harness.Control.RequestsAsync(new RequestLogQuery { Emulator = "yookassa", Method = "POST", Path = path });

    [Test]
    public void The_plan_shows_the_request_with_the_authorization_masked_and_amounts_as_strings()
    {
        var endpoint = harness.Outbound();
        var envelope = Command(MessageTypes.PaymentRequested, PaymentRequest(), "order-1001-pay");
        var context = Context("order-1001-pay");

        var plan = endpoint.Plan(envelope, context);

        Assert.That(plan.Method, Is.EqualTo("POST"));
        Assert.That(plan.Target, Is.EqualTo(harness.ApiBase + "/payments"));
        Assert.That(plan.SecretHeaders, Does.Contain("Authorization"));
        Assert.That(plan.Headers["Idempotence-Key"], Is.EqualTo(context.IdempotencyKey), "a GUID-shaped leg key is used as is");
        Assert.That(plan.Headers["Idempotence-Key"].Length, Is.LessThanOrEqualTo(64));
        var body = JsonDocument.Parse(plan.Body).RootElement;
        Assert.That(body.GetProperty("amount").GetProperty("value").GetString(), Is.EqualTo("1500.50"));
        Assert.That(body.GetProperty("capture").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("confirmation").GetProperty("type").GetString(), Is.EqualTo("redirect"));
        Assert.That(body.GetProperty("confirmation").GetProperty("return_url").GetString(), Is.EqualTo("https://shop.example/thanks"));
        Assert.That(body.GetProperty("metadata").GetProperty("orderNumber").GetString(), Is.EqualTo("1001"));
        var item = body.GetProperty("receipt").GetProperty("items")[0];
        Assert.That((item.GetProperty("quantity").GetString(), item.GetProperty("amount").GetProperty("value").GetString(), item.GetProperty("vat_code").GetInt32()),
            Is.EqualTo(("2.00", "750.25", 1)));
        Assert.That(body.GetProperty("receipt").GetProperty("customer").GetProperty("email").GetString(), Is.EqualTo("ivan@example.ru"));
        Assert.That(endpoint.Plan(envelope, context).Body, Is.EqualTo(plan.Body), "planning twice gives the same request");
    }

    [Test]
    public void A_plan_for_a_type_the_endpoint_does_not_handle_is_refused_permanently()
    {
        var envelope = Command(MessageTypes.OrderCreated, new { number = "1" }, "m-1");

        var failure = Assert.Throws<PermanentFailureException>(() => harness.Outbound().Plan(envelope, Context("m-1")));
        Assert.That(failure!.Message, Does.Contain("order.created").And.Contain(MessageTypes.PaymentRequested));
    }

    [Test]
    public void Receipt_items_without_a_customer_contact_are_refused_before_sending()
    {
        var request = PaymentRequest() with { Customer = new PaymentCustomer("Иван") };

        var failure = Assert.Throws<PermanentFailureException>(() => harness.Outbound().Plan(Command(MessageTypes.PaymentRequested, request, "m-2"), Context("m-2")));
        Assert.That(failure!.Message, Does.Contain("e-mail or phone"));
    }

    [Test]
    public async Task Creating_a_payment_replies_with_its_status_and_confirmation_url()
    {
        var receipt = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-1"), Context("pay-1"));

        var stored = harness.Emulator.Store.Payments.Single();
        Assert.That(receipt.Detail, Does.Contain(stored.Id).And.Contain("pending"));
        var reply = receipt.Replies.Single();
        Assert.That(reply.Type, Is.EqualTo(MessageTypes.PaymentStatusChanged));
        Assert.That(reply.MessageId, Is.EqualTo($"yookassa:payment:{stored.Id}:pending"));
        Assert.That(reply.EntityKey, Is.EqualTo("order:1001"));
        var payment = PayloadOf<Payment>(reply);
        Assert.That((payment.PaymentId, payment.OrderNumber, payment.Status, payment.Paid, payment.Amount),
            Is.EqualTo((stored.Id, "1001", PaymentState.Pending, false, Money.Rub(1500.50m))));
        Assert.That(payment.ConfirmationUrl, Does.Contain("/yookassa/payment-confirm?orderId=" + stored.Id));
        var post = (await PostsAsync()).Single();
        Assert.That(post.Header("Authorization"), Is.EqualTo(harness.Options().Authorization));
        Assert.That(post.IdempotencyKey, Is.EqualTo(Context("pay-1").IdempotencyKey));
    }

    [Test]
    public async Task A_redelivery_repeats_the_same_key_and_creates_nothing_new()
    {
        var endpoint = harness.Outbound();
        var envelope = Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-2");

        var first = await DeliverAsync(endpoint, envelope, Context("pay-2"));
        var second = await DeliverAsync(harness.Outbound(), envelope, Context("pay-2") with { Attempt = 2 });

        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
        Assert.That(second.Replies.Single().MessageId, Is.EqualTo(first.Replies.Single().MessageId));
        var posts = await PostsAsync();
        Assert.That(posts.Select(p => (p.IdempotencyKey, p.Repeat)), Is.EqualTo(new[] { (posts[0].IdempotencyKey, false), (posts[0].IdempotencyKey, true) }));
    }

    [Test]
    public async Task A_500_is_transient_and_the_retry_with_the_same_key_creates_one_payment()
    {
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.Answer(500) with { Path = "/yookassa/v3/payments" });
        var envelope = Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-3");

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(harness.Outbound(), envelope, Context("pay-3")));
        Assert.That(failure!.Message, Does.Contain("500").And.Contain("same Idempotence-Key"));
        await DeliverAsync(harness.Outbound(), envelope, Context("pay-3") with { Attempt = 2 });

        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
        var posts = await PostsAsync();
        Assert.That(posts.Select(p => p.Status), Is.EqualTo(new int?[] { 500, 200 }));
        Assert.That(posts.Select(p => p.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_reset_is_transient_and_429_too()
    {
        var envelope = Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-4");
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.ResetConnection());
        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(harness.Outbound(), envelope, Context("pay-4")));
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.TooManyRequests("3"));
        var limited = Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(harness.Outbound(), envelope, Context("pay-4")));
        Assert.That(limited!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));

        await DeliverAsync(harness.Outbound(), envelope, Context("pay-4"));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_attempt_cut_off_by_its_timeout_is_transient_and_the_retry_uses_the_same_key()
    {
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.Hang());
        var envelope = Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-14");
        var endpoint = harness.Outbound();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, Context("pay-14")), Context("pay-14"), timeout.Token));
        await DeliverAsync(harness.Outbound(), envelope, Context("pay-14") with { Attempt = 2 });

        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
        Assert.That((await PostsAsync()).Select(p => p.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Accepted_202_answers_are_waited_out_with_the_same_key()
    {
        await harness.PutSettingsAsync(new YooKassaSettings { AcceptedResponses = 2, AcceptedRetryAfterMs = 30 });

        var receipt = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-5"), Context("pay-5"));

        Assert.That(receipt.Replies.Single().Type, Is.EqualTo(MessageTypes.PaymentStatusChanged));
        var posts = await PostsAsync();
        Assert.That(posts.Select(p => p.Status), Is.EqualTo(new int?[] { 202, 202, 200 }));
        Assert.That(posts.Select(p => p.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Too_many_202_answers_end_the_attempt_as_transient_with_the_retry_after_hint()
    {
        await harness.PutSettingsAsync(new YooKassaSettings { AcceptedResponses = 5, AcceptedRetryAfterMs = 40 });

        var failure = Assert.ThrowsAsync<TransientFailureException>(() =>
            DeliverAsync(harness.Outbound(harness.Options(acceptedRetries: 1)), Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-6"), Context("pay-6")));

        Assert.That(failure!.RetryAfter, Is.EqualTo(TimeSpan.FromMilliseconds(40)));
        Assert.That(failure.Message, Does.Contain("202"));
        Assert.That(await PostsAsync(), Has.Count.EqualTo(2));
        Assert.That(harness.Emulator.Store.Payments, Is.Empty);
    }

    [Test]
    public async Task Wrong_credentials_are_permanent_name_the_code_and_never_show_the_key()
    {
        var failure = Assert.ThrowsAsync<YooKassaRefusedException>(() =>
            DeliverAsync(harness.Outbound(harness.Options(secretKey: "test_wrong_key")), Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-7"), Context("pay-7")));

        Assert.That(failure!.Status, Is.EqualTo(401));
        Assert.That(failure.Code, Is.EqualTo("yookassa-invalid_credentials"));
        Assert.That(failure.Message, Does.Contain("shopId or secret key").And.Not.Contain("test_wrong_key"));
        Assert.That(harness.Log.Lines().Any(l => l.Contains("test_wrong_key")), Is.False);
        await Task.CompletedTask;
    }

    [Test]
    public async Task Two_stage_payment_is_captured_after_the_payer_paid()
    {
        var created = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(capture: false), "pay-8"), Context("pay-8"));
        var paymentId = PayloadOf<Payment>(created.Replies.Single()).PaymentId;
        await harness.PayAsync(paymentId);

        var captured = await DeliverAsync(harness.Outbound(),
            Command(MessageTypes.PaymentCaptureRequested, new PaymentAction { OrderNumber = "1001", PaymentId = paymentId }, "cap-8"), Context("cap-8", "capture/yookassa"));

        var reply = captured.Replies.Single();
        Assert.That(reply.MessageId, Is.EqualTo($"yookassa:payment:{paymentId}:succeeded"));
        var payment = PayloadOf<Payment>(reply);
        Assert.That((payment.Status, payment.Paid, payment.OrderNumber), Is.EqualTo((PaymentState.Succeeded, true, "1001")));
        Assert.That(payment.CapturedAt, Is.Not.Null);
        Assert.That((await PostsAsync($"/yookassa/v3/payments/{paymentId}/capture")).Single().Body, Is.EqualTo("{}"));
    }

    [Test]
    public async Task Cancelling_a_payment_waiting_for_capture_replies_with_the_reason()
    {
        var created = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(capture: false), "pay-9"), Context("pay-9"));
        var paymentId = PayloadOf<Payment>(created.Replies.Single()).PaymentId;
        await harness.PayAsync(paymentId);

        var canceled = await DeliverAsync(harness.Outbound(),
            Command(MessageTypes.PaymentCancelRequested, new PaymentAction { OrderNumber = "1001", PaymentId = paymentId }, "cancel-9"), Context("cancel-9", "cancel/yookassa"));

        var payment = PayloadOf<Payment>(canceled.Replies.Single());
        Assert.That((payment.Status, payment.Paid, payment.CancellationReason), Is.EqualTo((PaymentState.Canceled, false, "canceled_by_merchant (merchant)")));
    }

    [Test]
    public async Task After_a_4xx_the_next_attempt_uses_a_new_key_so_the_stored_refusal_is_not_replayed()
    {
        var created = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(capture: false), "pay-10"), Context("pay-10"));
        var paymentId = PayloadOf<Payment>(created.Replies.Single()).PaymentId;
        var capture = Command(MessageTypes.PaymentCaptureRequested, new PaymentAction { OrderNumber = "1001", PaymentId = paymentId }, "cap-10");
        var context = Context("cap-10", "capture/yookassa");

        var refused = Assert.ThrowsAsync<YooKassaRefusedException>(() => DeliverAsync(harness.Outbound(), capture, context));
        Assert.That(refused!.Message, Does.Contain("400").And.Contain("waiting_for_capture"));
        await harness.PayAsync(paymentId);
        var captured = await DeliverAsync(harness.Outbound(), capture, context with { Attempt = 2 });

        Assert.That(PayloadOf<Payment>(captured.Replies.Single()).Status, Is.EqualTo(PaymentState.Succeeded));
        var keys = (await PostsAsync($"/yookassa/v3/payments/{paymentId}/capture")).Select(p => p.IdempotencyKey).ToList();
        Assert.That(keys, Is.EqualTo(new[] { context.IdempotencyKey, context.IdempotencyKey + "/2" }));
    }

    [Test]
    public async Task A_changed_body_under_the_same_key_is_the_duplicated_key_error_and_the_next_attempt_gets_a_new_key()
    {
        var context = Context("pay-11");
        await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(amount: 100m), "pay-11"), context);
        var edited = Command(MessageTypes.PaymentRequested, PaymentRequest(amount: 120m), "pay-11");

        var refused = Assert.ThrowsAsync<YooKassaRefusedException>(() => DeliverAsync(harness.Outbound(), edited, context));
        Assert.That(refused!.IsDuplicatedKey, Is.True);
        Assert.That(refused.Message, Does.Contain("Idempotence key duplicated").And.Contain("new key"));
        var replayed = await DeliverAsync(harness.Outbound(), edited, context);

        Assert.That(PayloadOf<Payment>(replayed.Replies.Single()).Amount, Is.EqualTo(Money.Rub(120m)));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_refund_replies_with_the_order_number_and_over_refunding_is_refused()
    {
        var created = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(amount: 1000m), "pay-12"), Context("pay-12"));
        var paymentId = PayloadOf<Payment>(created.Replies.Single()).PaymentId;
        await harness.PayAsync(paymentId);

        var refunded = await DeliverAsync(harness.Outbound(), Command(MessageTypes.RefundRequested,
            new RefundRequest { OrderNumber = "1001", PaymentId = paymentId, Amount = Money.Rub(600m), Reason = "Отмена заказа" }, "refund-12"), Context("refund-12", "refunds/yookassa"));

        var reply = refunded.Replies.Single();
        var refund = PayloadOf<Refund>(reply);
        Assert.That(reply.Type, Is.EqualTo(MessageTypes.RefundStatusChanged));
        Assert.That(reply.MessageId, Is.EqualTo($"yookassa:refund:{refund.RefundId}:succeeded"));
        Assert.That((refund.PaymentId, refund.OrderNumber, refund.Amount, refund.Status), Is.EqualTo((paymentId, "1001", Money.Rub(600m), RefundState.Succeeded)));
        Assert.That(reply.EntityKey, Is.EqualTo("order:1001"));

        var tooMuch = Assert.ThrowsAsync<YooKassaRefusedException>(() => DeliverAsync(harness.Outbound(), Command(MessageTypes.RefundRequested,
            new RefundRequest { OrderNumber = "1001", PaymentId = paymentId, Amount = Money.Rub(500m) }, "refund-12b"), Context("refund-12b", "refunds/yookassa")));
        Assert.That(tooMuch!.Message, Does.Contain("400").And.Contain("400.00"));
    }

    [Test]
    public async Task A_payment_the_payer_refused_replies_canceled_on_the_next_look()
    {
        await harness.PutSettingsAsync(new YooKassaSettings { AutoPayAfterMs = 10, AutoPayOutcome = "canceled" });
        var created = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(), "pay-13"), Context("pay-13"));
        var paymentId = PayloadOf<Payment>(created.Replies.Single()).PaymentId;

        var endpoint = harness.Outbound();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Router.Endpoints.YooKassa.Wire.WirePayment? fetched;
        while ((fetched = await endpoint.Client.GetPaymentAsync(paymentId, CancellationToken.None))!.Status == "pending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.That(YooKassaCanonical.Payment(fetched).CancellationReason, Is.EqualTo("insufficient_funds (payment_network)"));
    }
}
