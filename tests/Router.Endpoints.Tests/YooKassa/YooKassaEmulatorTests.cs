using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Sandbox.Faults;
using Router.Sandbox.RequestLog;
using Router.Sandbox.YooKassa;

namespace Router.Endpoints.Tests.YooKassa;

/// <summary>The sandbox's YooKassa spoken to directly, the way YooKassa's docs describe the wire.</summary>
public sealed class YooKassaEmulatorTests
{
    private YooKassaHarness harness = null!;

    [OneTimeSetUp]
    public async Task Start() => harness = await YooKassaHarness.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [SetUp]
    public Task Reset() => harness.ResetAsync();

    private const string CreateBody = """{"amount":{"value":"100.00","currency":"RUB"},"capture":false,"confirmation":{"type":"redirect","return_url":"https://shop.example/r"},"description":"Заказ №7","metadata":{"orderNumber":"7"}}""";

    private async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null, string? key = null,
        string secret = YooKassaEmulator.DefaultSecretKey, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "yookassa/v3/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{YooKassaEmulator.DefaultShopId}:{secret}")));
        if (key is not null)
        {
            request.Headers.Add("Idempotence-Key", key);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await harness.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertError(JsonElement body, string code, string? parameter = null)
    {
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("error"));
        Assert.That(body.GetProperty("id").GetString(), Is.Not.Empty);
        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code));
        if (parameter is not null)
        {
            Assert.That(body.GetProperty("parameter").GetString(), Is.EqualTo(parameter));
        }
    }

    [Test]
    public async Task Wrong_credentials_answer_401_invalid_credentials()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-1", secret: "test_nope");

        Assert.That(status, Is.EqualTo(401));
        AssertError(body, "invalid_credentials");
    }

    [Test]
    public async Task A_POST_without_an_Idempotence_Key_is_refused()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "payments", CreateBody);

        Assert.That(status, Is.EqualTo(400));
        AssertError(body, "invalid_request", "Idempotence-Key");
    }

    [Test]
    public async Task A_POST_that_is_not_JSON_is_415()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-415", contentType: "text/plain");

        Assert.That(status, Is.EqualTo(415));
    }

    [Test]
    public async Task A_fresh_payment_looks_like_the_docs_example()
    {
        var (status, payment) = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-2");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(payment.GetProperty("id").GetString(), Does.Match("^[0-9a-f]{8}-000f-5000-[89ab]000-[0-9a-f]{12}$"));
        Assert.That(payment.GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(payment.GetProperty("paid").GetBoolean(), Is.False);
        Assert.That(payment.GetProperty("amount").GetProperty("value").GetString(), Is.EqualTo("100.00"));
        Assert.That(payment.GetProperty("confirmation").GetProperty("confirmation_url").GetString(), Does.StartWith("http"));
        Assert.That(payment.GetProperty("created_at").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
        Assert.That(payment.GetProperty("metadata").GetProperty("orderNumber").GetString(), Is.EqualTo("7"));
        Assert.That(payment.GetProperty("recipient").GetProperty("account_id").GetString(), Is.Not.Empty);
        Assert.That(payment.GetProperty("test").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Same_key_and_body_replay_the_stored_answer_and_another_body_is_idempotence_key_duplicated()
    {
        var first = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-3");
        var again = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-3");
        var other = await SendAsync(HttpMethod.Post, "payments", CreateBody.Replace("100.00", "101.00"), "k-3");

        Assert.That(again.Body.GetRawText(), Is.EqualTo(first.Body.GetRawText()));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
        Assert.That(other.Status, Is.EqualTo(400));
        AssertError(other.Body, "invalid_request", "Idempotence-Key");
        Assert.That(other.Body.GetProperty("description").GetString(), Is.EqualTo("Idempotence key duplicated"));
        var log = await harness.Control.RequestsAsync(new RequestLogQuery { Emulator = "yookassa", IdempotencyKey = "k-3" });
        Assert.That(log.Select(e => e.Repeat), Is.EqualTo(new[] { false, true, false }));
    }

    [Test]
    public async Task Keys_are_forgotten_after_24_hours()
    {
        await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-4");
        harness.Clock.Offset = TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);

        var later = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-4");

        Assert.That(later.Status, Is.EqualTo(200));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(2), "a repeat after 24 hours is a new payment");
    }

    [Test]
    public async Task Injected_server_errors_are_not_stored_so_the_same_key_then_acts()
    {
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.Answer(500));

        var failed = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-5");
        var retried = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-5");

        Assert.That((failed.Status, retried.Status), Is.EqualTo((500, 200)));
        Assert.That(harness.Emulator.Store.Payments, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Capture_is_only_from_waiting_for_capture_and_never_above_the_authorised_amount()
    {
        var (_, payment) = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-6");
        var id = payment.GetProperty("id").GetString()!;

        var early = await SendAsync(HttpMethod.Post, $"payments/{id}/capture", "{}", "k-6c");
        await harness.PayAsync(id);
        var waiting = await SendAsync(HttpMethod.Get, $"payments/{id}");
        var tooMuch = await SendAsync(HttpMethod.Post, $"payments/{id}/capture", """{"amount":{"value":"150.00","currency":"RUB"}}""", "k-6d");
        var partial = await SendAsync(HttpMethod.Post, $"payments/{id}/capture", """{"amount":{"value":80,"currency":"RUB"}}""", "k-6e");

        Assert.That(early.Status, Is.EqualTo(400));
        AssertError(early.Body, "invalid_request");
        Assert.That(waiting.Body.GetProperty("status").GetString(), Is.EqualTo("waiting_for_capture"));
        Assert.That(waiting.Body.GetProperty("paid").GetBoolean(), Is.True);
        Assert.That(tooMuch.Status, Is.EqualTo(400));
        Assert.That(partial.Status, Is.EqualTo(200));
        Assert.That(partial.Body.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(partial.Body.GetProperty("amount").GetProperty("value").GetString(), Is.EqualTo("80.00"));
    }

    [Test]
    public async Task Refunds_are_limited_to_what_was_paid_and_not_refunded()
    {
        var (_, payment) = await SendAsync(HttpMethod.Post, "payments", CreateBody.Replace("\"capture\":false", "\"capture\":true"), "k-7");
        var id = payment.GetProperty("id").GetString()!;
        var beforePaying = await SendAsync(HttpMethod.Post, "refunds", $$$"""{"payment_id":"{{{id}}}","amount":{"value":"10.00","currency":"RUB"}}""", "k-7a");
        await harness.PayAsync(id);

        var first = await SendAsync(HttpMethod.Post, "refunds", $$$"""{"payment_id":"{{{id}}}","amount":{"value":"60.00","currency":"RUB"}}""", "k-7b");
        var over = await SendAsync(HttpMethod.Post, "refunds", $$$"""{"payment_id":"{{{id}}}","amount":{"value":"40.01","currency":"RUB"}}""", "k-7c");
        var rest = await SendAsync(HttpMethod.Post, "refunds", $$$"""{"payment_id":"{{{id}}}","amount":{"value":"40.00","currency":"RUB"}}""", "k-7d");
        var fetched = await SendAsync(HttpMethod.Get, "refunds/" + first.Body.GetProperty("id").GetString());
        var paymentAfter = await SendAsync(HttpMethod.Get, $"payments/{id}");

        Assert.That(beforePaying.Status, Is.EqualTo(400));
        Assert.That((first.Status, over.Status, rest.Status), Is.EqualTo((200, 400, 200)));
        Assert.That(fetched.Body.GetProperty("payment_id").GetString(), Is.EqualTo(id));
        Assert.That(fetched.Body.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(paymentAfter.Body.GetProperty("refunded_amount").GetProperty("value").GetString(), Is.EqualTo("100.00"));
        Assert.That(paymentAfter.Body.GetProperty("refundable").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_receipt_must_add_up_to_the_payment_and_name_a_contact()
    {
        const string receipt = ""","receipt":{"customer":{"email":"a@b.ru"},"items":[{"description":"Товар","quantity":"2.00","amount":{"value":"40.00","currency":"RUB"},"vat_code":1}]}}""";
        var body = CreateBody[..^1] + receipt;

        var (status, error) = await SendAsync(HttpMethod.Post, "payments", body, "k-8");
        var (fixedStatus, _) = await SendAsync(HttpMethod.Post, "payments", body.Replace("\"40.00\"", "\"50.00\""), "k-8b");

        Assert.That(status, Is.EqualTo(400));
        AssertError(error, "invalid_request", "receipt.items");
        Assert.That(fixedStatus, Is.EqualTo(200));
    }

    [Test]
    public async Task Unknown_objects_are_404_not_found()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "payments/2f000000-000f-5000-8000-000000000000");

        Assert.That(status, Is.EqualTo(404));
        AssertError(body, "not_found");
    }

    [Test]
    public async Task The_payer_can_refuse_with_a_reason_and_a_canceled_payment_stays_canceled()
    {
        var (_, payment) = await SendAsync(HttpMethod.Post, "payments", CreateBody, "k-9");
        var id = payment.GetProperty("id").GetString()!;

        using var refused = await harness.Http.PostAsync($"_sandbox/yookassa/payments/{id}/cancel", YooKassaHarness.JsonContent(new { reason = "3d_secure_failed", party = "yoo_kassa" }));
        using var payLater = await harness.Http.PostAsync($"_sandbox/yookassa/payments/{id}/pay", null);
        var fetched = await SendAsync(HttpMethod.Get, $"payments/{id}");

        Assert.That((int)refused.StatusCode, Is.EqualTo(200));
        Assert.That((int)payLater.StatusCode, Is.EqualTo(400));
        Assert.That(fetched.Body.GetProperty("status").GetString(), Is.EqualTo("canceled"));
        Assert.That(fetched.Body.GetProperty("cancellation_details").GetProperty("reason").GetString(), Is.EqualTo("3d_secure_failed"));
        Assert.That(fetched.Body.GetProperty("cancellation_details").GetProperty("party").GetString(), Is.EqualTo("yoo_kassa"));
    }

    [Test]
    public async Task With_auto_pay_payments_complete_without_a_payer()
    {
        await harness.PutSettingsAsync(new YooKassaSettings { AutoPayAfterMs = 20 });

        var (_, payment) = await SendAsync(HttpMethod.Post, "payments", CreateBody.Replace("\"capture\":false", "\"capture\":true"), "k-10");
        var id = payment.GetProperty("id").GetString()!;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Emulator.Store.FindPayment(id)!.Status == "pending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var fetched = await SendAsync(HttpMethod.Get, $"payments/{id}");
        Assert.That(fetched.Body.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(fetched.Body.GetProperty("paid").GetBoolean(), Is.True);
        Assert.That(fetched.Body.GetProperty("captured_at").GetString(), Is.Not.Null);
    }

    [Test]
    public async Task Invalid_settings_are_refused()
    {
        using var response = await harness.Http.PutAsync("_sandbox/yookassa/settings", YooKassaHarness.JsonContent(new YooKassaSettings { AutoPayOutcome = "maybe" }));

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("autoPayOutcome"));
    }
}
