using System.Text.Json;
using Router.Core.Canonical;
using Router.Endpoints.YooKassa;
using Router.Endpoints.YooKassa.Webhook;
using Router.Endpoints.YooKassa.Wire;

namespace Router.Endpoints.Tests.YooKassa;

/// <summary>Every YooKassa sample in the shared fixtures is read by the endpoint's wire types and mapped to the canonical model.</summary>
public sealed class YooKassaSampleTests
{
    private static readonly string Samples = new[] { "/work/shared/fixtures/api-samples", Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/api-samples") }
        .First(Directory.Exists);

    private static string Sample(string name) => File.ReadAllText(Path.Combine(Samples, name));

    [Test]
    public void Every_yookassa_sample_is_covered_here()
    {
        var names = Directory.GetFiles(Samples, "yookassa_*.json").Select(Path.GetFileName).Order().ToList();
        Assert.That(names, Is.EqualTo(new[]
        {
            "yookassa_capture_payment_php-sdk-fixture.json",
            "yookassa_error_idempotence_key_duplicated.json",
            "yookassa_payment_canceled_object_php-sdk-fixture.json",
            "yookassa_payment_info_php-sdk-fixture.json",
            "yookassa_refund_info_php-sdk-fixture.json",
            "yookassa_webhook_payment_waiting_for_capture.json",
            "yookassa_webhook_refund_succeeded.json",
        }), "a new YooKassa sample appeared: add a test for it");
    }

    [TestCase("yookassa_capture_payment_php-sdk-fixture.json", PaymentState.Succeeded, 10.00, true)]
    [TestCase("yookassa_payment_info_php-sdk-fixture.json", PaymentState.Succeeded, 10.00, true)]
    [TestCase("yookassa_payment_canceled_object_php-sdk-fixture.json", PaymentState.Canceled, 20.00, false)]
    public void Payment_objects_are_read_despite_unknown_fields(string file, PaymentState status, decimal amount, bool paid)
    {
        var payment = YooKassaJson.Deserialize<WirePayment>(Sample(file));
        var canonical = YooKassaCanonical.Payment(payment);

        Assert.That(canonical.PaymentId, Is.EqualTo("1da5c87d-0984-50e8-a7f3-8de646dd9ec9"));
        Assert.That(canonical.Status, Is.EqualTo(status));
        Assert.That(canonical.Amount, Is.EqualTo(Money.Rub(amount)));
        Assert.That(canonical.Paid, Is.EqualTo(paid));
        Assert.That(canonical.OrderNumber, Is.Empty, "the samples carry empty metadata");
    }

    [Test]
    public void A_canceled_payment_keeps_its_reason_and_party_as_open_strings()
    {
        var canonical = YooKassaCanonical.Payment(YooKassaJson.Deserialize<WirePayment>(Sample("yookassa_payment_canceled_object_php-sdk-fixture.json")));

        Assert.That(canonical.CancellationReason, Is.EqualTo("general_decline (yoo_money)"));
    }

    [Test]
    public void A_captured_payment_keeps_its_capture_time_with_offset()
    {
        var canonical = YooKassaCanonical.Payment(YooKassaJson.Deserialize<WirePayment>(Sample("yookassa_capture_payment_php-sdk-fixture.json")));

        Assert.That(canonical.CapturedAt, Is.EqualTo(DateTimeOffset.Parse("2015-11-19T17:05:31+03:00")));
    }

    [Test]
    public void A_refund_object_is_read()
    {
        var refund = YooKassaJson.Deserialize<WireRefund>(Sample("yookassa_refund_info_php-sdk-fixture.json"));
        var canonical = YooKassaCanonical.Refund(refund, "1001");

        Assert.That(canonical, Is.EqualTo(new Refund
        {
            RefundId = "1ddd77af-0bd7-500d-895b-c475c55fdefc",
            PaymentId = "1da5c87d-0984-50e8-a7f3-8de646dd9ec9",
            OrderNumber = "1001",
            Amount = Money.Rub(10.00m),
            Status = RefundState.Succeeded,
            Reason = "string",
        }));
    }

    [Test]
    public void The_duplicated_key_error_is_read_and_recognised()
    {
        var error = YooKassaJson.Deserialize<WireError>(Sample("yookassa_error_idempotence_key_duplicated.json"));

        Assert.That((error.Type, error.Code, error.Parameter), Is.EqualTo(("error", "invalid_request", "Idempotence-Key")));
        Assert.That(new YooKassaRefusedException(400, error, "x").IsDuplicatedKey, Is.True);
        Assert.That(new YooKassaRefusedException(400, error, "x").Code, Is.EqualTo("yookassa-invalid_request"));
    }

    [Test]
    public void The_payment_webhook_sample_is_a_notification_about_a_payment()
    {
        var body = System.Text.Encoding.UTF8.GetBytes(Sample("yookassa_webhook_payment_waiting_for_capture.json"));
        var parsed = YooKassaWebhookEndpoint.Parse(body, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(parsed, Is.EqualTo(new YooKassaWebhookEndpoint.ParsedNotification("payment", "waiting_for_capture", "22d6d597-000f-5000-9000-145f6df21d6f", "payment.waiting_for_capture")));
        var payment = JsonSerializer.Deserialize<WirePayment>(JsonSerializer.Deserialize<WireNotification>(body, YooKassaJson.Options)!.Object, YooKassaJson.Options)!;
        var canonical = YooKassaCanonical.Payment(payment);
        Assert.That((canonical.Status, canonical.Paid, canonical.Amount), Is.EqualTo((PaymentState.WaitingForCapture, true, Money.Rub(2.00m))));
    }

    [Test]
    public void The_refund_webhook_sample_with_a_numeric_amount_is_read()
    {
        var body = System.Text.Encoding.UTF8.GetBytes(Sample("yookassa_webhook_refund_succeeded.json"));
        var parsed = YooKassaWebhookEndpoint.Parse(body, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That((parsed!.Kind, parsed.ObjectId, parsed.ClaimedStatus), Is.EqualTo(("refund", "21b23b5b-000f-5061-a000-0674e49a8c10", "pending")));
        var refund = JsonSerializer.Deserialize<WireRefund>(JsonSerializer.Deserialize<WireNotification>(body, YooKassaJson.Options)!.Object, YooKassaJson.Options)!;
        Assert.That(refund.Amount!.Value, Is.EqualTo(250m), "250.0 arrives as a number in this fixture");
        Assert.That(YooKassaCanonical.Refund(refund, "").Status, Is.EqualTo(RefundState.Pending));
    }

    [TestCase("{", "not valid JSON")]
    [TestCase("[]", "not valid JSON")]
    [TestCase("""{"type":"payment","event":"payment.succeeded","object":{"id":"x"}}""", "type must be 'notification'")]
    [TestCase("""{"type":"notification","event":"succeeded","object":{"id":"x"}}""", "event must look like")]
    [TestCase("""{"type":"notification","event":"payment.succeeded","object":{"status":"succeeded"}}""", "string id")]
    public void Malformed_notifications_are_refused_with_the_reason(string json, string reason)
    {
        var parsed = YooKassaWebhookEndpoint.Parse(System.Text.Encoding.UTF8.GetBytes(json), out var problem);

        Assert.That(parsed, Is.Null);
        Assert.That(problem, Does.Contain(reason));
    }
}
