using System.Collections.Concurrent;
using System.Text;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Listener;
using Router.Endpoints.Tests.Support;
using Router.Endpoints.YooKassa;
using Router.Endpoints.YooKassa.Webhook;
using Router.Sandbox.Faults;
using Router.Sandbox.YooKassa;
using Serilog.Events;
using static Router.Endpoints.Tests.YooKassa.YooKassaHarness;

namespace Router.Endpoints.Tests.YooKassa;

/// <summary>
/// The yookassa webhook on the router's real listener, with the sandbox's YooKassa as the API it re-fetches from
/// and as the sender of notifications: source networks, re-fetch, durable hand-off before 200, repeats.
/// </summary>
public sealed class YooKassaWebhookTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private YooKassaHarness harness = null!;
    private RouterHttpListener? listener;
    private DedupSink sink = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public async Task Start() => harness = await StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await harness.DisposeAsync();

    [SetUp]
    public async Task Reset()
    {
        await harness.ResetAsync();
        sink = new DedupSink();
        client = new HttpClient();
    }

    [TearDown]
    public async Task StopListener()
    {
        client.Dispose();
        if (listener is not null)
        {
            await listener.DisposeAsync();
            listener = null;
        }
        foreach (var line in harness.Log.Lines())
        {
            Assert.That(line, Does.Not.Contain(YooKassaEmulator.DefaultSecretKey), line);
        }
    }

    private async Task<Uri> ListenAsync(IReadOnlyList<string>? allow = null, IReadOnlyList<string>? trustedProxies = null)
    {
        var options = harness.Options() with
        {
            Webhook = new YooKassaWebhookOptions
            {
                Allow = Networks(allow ?? ["127.0.0.1", "::1"]),
                TrustedProxies = Networks(trustedProxies ?? []),
            },
        };
        var endpoint = new YooKassaWebhookEndpoint("yookassa", options, harness.Services());
        listener = await RouterHttpListener.StartAsync("http://127.0.0.1:0", [endpoint], sink, Serilog.Core.Logger.None, CancellationToken.None);
        return new Uri(listener.Address, YooKassaWebhookOptions.DefaultPath.TrimStart('/'));
    }

    private static NetworkList Networks(IEnumerable<string> texts) => new(texts.Select(t => NetworkList.TryParseNetwork(t)!.Value).ToList());

    private async Task<(int Status, string Text)> PostAsync(Uri url, string json, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Notification(string eventName, string id, string status) =>
        $$$"""{"type":"notification","event":"{{{eventName}}}","object":{"id":"{{{id}}}","status":"{{{status}}}","paid":true,"amount":{"value":"1500.50","currency":"RUB"},"metadata":{"orderNumber":"1001"},"some_new_field":42}}""";

    private async Task<string> CreatePaymentAsync(bool capture = true)
    {
        var receipt = await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentRequested, PaymentRequest(capture: capture), "pay-" + Guid.NewGuid()), Context("pay-" + Guid.NewGuid()));
        return PayloadOf<Payment>(receipt.Replies.Single()).PaymentId;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for " + what);
            }
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task A_notification_from_outside_the_allowed_networks_is_refused_with_403_and_logged()
    {
        var url = await ListenAsync(allow: ["10.0.0.0/8"]);
        var paymentId = await CreatePaymentAsync();

        var (status, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "succeeded"));

        Assert.That(status, Is.EqualTo(403));
        Assert.That(sink.Messages, Is.Empty);
        Assert.That(harness.Log.Lines(LogEventLevel.Warning), Has.Some.Contain("127.0.0.1").And.Contain("not in the allowed networks"));
    }

    [Test]
    public async Task The_default_allow_list_is_YooKassas_and_refuses_loopback()
    {
        Assert.That(new YooKassaWebhookOptions().Allow.Contains(System.Net.IPAddress.Parse("185.71.76.5")), Is.True);
        Assert.That(new YooKassaWebhookOptions().Allow.Contains(System.Net.IPAddress.Parse("77.75.156.35")), Is.True);
        Assert.That(new YooKassaWebhookOptions().Allow.Contains(System.Net.IPAddress.Parse("2a02:5180:0:1509::17")), Is.True);
        var url = await ListenAsync(allow: YooKassaWebhookOptions.DocumentedNetworks);

        var (status, _) = await PostAsync(url, Notification("payment.succeeded", "x", "succeeded"));

        Assert.That(status, Is.EqualTo(403));
    }

    [Test]
    public async Task X_Forwarded_For_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        var url = await ListenAsync(allow: YooKassaWebhookOptions.DocumentedNetworks);

        var (status, _) = await PostAsync(url, Notification("payment.succeeded", "x", "succeeded"), forwardedFor: "185.71.76.5");

        Assert.That(status, Is.EqualTo(403));
        Assert.That(harness.Log.Lines(LogEventLevel.Warning), Has.Some.Contain("127.0.0.1"));
    }

    [Test]
    public async Task Behind_a_trusted_proxy_the_forwarded_sender_is_checked()
    {
        var url = await ListenAsync(allow: YooKassaWebhookOptions.DocumentedNetworks, trustedProxies: ["127.0.0.1"]);
        var paymentId = await CreatePaymentAsync();

        var (allowed, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "pending"), forwardedFor: "185.71.76.5");
        // A client cannot smuggle an allowed address in front: the proxy appends the real peer, which is read first.
        var (spoofed, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "pending"), forwardedFor: "185.71.76.5, 203.0.113.9");

        Assert.That(allowed, Is.EqualTo(200));
        Assert.That(spoofed, Is.EqualTo(403));
        Assert.That(harness.Log.Lines(LogEventLevel.Warning), Has.Some.Contain("203.0.113.9"));
    }

    [Test]
    public async Task A_forged_status_is_contradicted_by_the_refetch_and_only_the_fetched_status_is_handed_on()
    {
        var url = await ListenAsync();
        var paymentId = await CreatePaymentAsync();

        var (status, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "succeeded"));

        Assert.That(status, Is.EqualTo(200));
        var message = sink.Messages.Single();
        Assert.That(message.MessageId, Is.EqualTo($"yookassa:payment:{paymentId}:pending"));
        Assert.That(message.Type, Is.EqualTo(MessageTypes.PaymentStatusChanged));
        Assert.That(message.EntityKey, Is.EqualTo("order:1001"));
        var payment = PayloadOf<Payment>(message);
        Assert.That((payment.Status, payment.Paid), Is.EqualTo((PaymentState.Pending, false)));
        Assert.That(harness.Log.Lines(LogEventLevel.Warning), Has.Some.Contain("claimed").And.Contain("succeeded").And.Contain("pending"));
        var refetches = await harness.Control.RequestsAsync(new Router.Sandbox.RequestLog.RequestLogQuery { Method = "GET", Path = $"/yookassa/v3/payments/{paymentId}" });
        Assert.That(refetches, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_repeated_notification_is_an_inbox_duplicate_and_still_answered_200()
    {
        var url = await ListenAsync();
        var paymentId = await CreatePaymentAsync();
        await harness.PayAsync(paymentId);
        var body = Notification("payment.succeeded", paymentId, "succeeded");

        var first = await PostAsync(url, body);
        var second = await PostAsync(url, body);

        Assert.That((first.Status, second.Status), Is.EqualTo((200, 200)));
        Assert.That(sink.Results, Is.EqualTo(new[] { HandOffStatus.Accepted, HandOffStatus.Duplicate }));
        Assert.That(sink.Messages.Select(m => m.MessageId).Distinct().Single(), Is.EqualTo($"yookassa:payment:{paymentId}:succeeded"));
    }

    [Test]
    public async Task A_malformed_body_is_refused_with_400_and_journaled()
    {
        var url = await ListenAsync();

        var (status, text) = await PostAsync(url, """{"type":"notification","event":""");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(text, Does.Contain("not valid JSON"));
        Assert.That(sink.Rejections.Single().Error, Does.Contain("not valid JSON"));
        Assert.That(sink.Messages, Is.Empty);
    }

    [Test]
    public async Task A_notification_about_a_payment_YooKassa_does_not_know_is_refused()
    {
        var url = await ListenAsync();

        var (status, text) = await PostAsync(url, Notification("payment.succeeded", "2f000000-000f-5000-8000-000000000000", "succeeded"));

        Assert.That(status, Is.EqualTo(404));
        Assert.That(text, Does.Contain("does not know"));
        Assert.That(sink.Messages, Is.Empty);
        Assert.That(sink.Rejections, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_failed_hand_off_answers_500_so_YooKassa_retries_and_a_failed_refetch_503()
    {
        var url = await ListenAsync();
        var paymentId = await CreatePaymentAsync();
        sink.Failure = new IOException("disk full");

        var (handOff, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "pending"));
        sink.Failure = null;
        await harness.Control.AddFaultAsync("yookassa", FaultSpec.Answer(500));
        var (refetch, _) = await PostAsync(url, Notification("payment.succeeded", paymentId, "pending"));

        Assert.That((handOff, refetch), Is.EqualTo((500, 503)));
        Assert.That(sink.Messages, Is.Empty);
    }

    [Test]
    public async Task Events_the_router_does_not_handle_are_acknowledged_without_a_hand_off()
    {
        var url = await ListenAsync();

        var (status, _) = await PostAsync(url, """{"type":"notification","event":"payout.succeeded","object":{"id":"po-1","status":"succeeded"}}""");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(sink.Messages, Is.Empty);
    }

    [Test]
    public async Task The_sandbox_sends_its_notifications_to_the_webhook_retrying_until_200_and_duplicates_are_absorbed()
    {
        var url = await ListenAsync();
        await harness.PutSettingsAsync(new YooKassaSettings { WebhookUrl = url.AbsoluteUri, WebhookDuplicates = true, WebhookRetryIntervalMs = 30 });
        var paymentId = await CreatePaymentAsync(capture: false);
        sink.FailNext = 1;

        await harness.PayAsync(paymentId);

        await WaitForAsync(() => harness.Emulator.Webhooks.Count(w => w.Delivered) == 2, "both copies of the notification delivered");
        Assert.That(harness.Emulator.Webhooks.Select(w => w.Event), Is.All.EqualTo("payment.waiting_for_capture"));
        Assert.That(harness.Emulator.Webhooks.Max(w => w.Attempts), Is.GreaterThanOrEqualTo(2), "the copy answered 500 was sent again");
        Assert.That(sink.Results.Count(r => r == HandOffStatus.Accepted), Is.EqualTo(1));
        Assert.That(sink.Results.Count(r => r == HandOffStatus.Duplicate), Is.EqualTo(1));
        Assert.That(PayloadOf<Payment>(sink.Messages.First()).Status, Is.EqualTo(PaymentState.WaitingForCapture));
    }

    [Test]
    public async Task Notifications_out_of_order_never_hand_on_a_stale_status()
    {
        var url = await ListenAsync();
        await harness.PutSettingsAsync(new YooKassaSettings { WebhookUrl = url.AbsoluteUri, WebhookOutOfOrder = true, WebhookOutOfOrderHoldMs = 5000 });
        var paymentId = await CreatePaymentAsync(capture: false);

        await harness.PayAsync(paymentId);
        await DeliverAsync(harness.Outbound(), Command(MessageTypes.PaymentCaptureRequested, new PaymentAction { OrderNumber = "1001", PaymentId = paymentId }, "cap-1"),
            Context("cap-1", "capture/yookassa"));

        await WaitForAsync(() => harness.Emulator.Webhooks.Count(w => w.Delivered) == 2, "both notifications delivered");
        Assert.That(harness.Emulator.Webhooks.OrderBy(w => w.Sequence).Select(w => w.Event), Is.EqualTo(new[] { "payment.succeeded", "payment.waiting_for_capture" }),
            "the sandbox sent the newer notification first");
        Assert.That(sink.Messages.Select(m => m.MessageId).Distinct().Single(), Is.EqualTo($"yookassa:payment:{paymentId}:succeeded"),
            "the late waiting_for_capture notification was re-fetched as succeeded");
        Assert.That(sink.Results, Is.EqualTo(new[] { HandOffStatus.Accepted, HandOffStatus.Duplicate }));
    }

    [Test]
    public async Task A_refund_notification_becomes_a_refund_status_change_for_the_order()
    {
        var url = await ListenAsync();
        await harness.PutSettingsAsync(new YooKassaSettings { WebhookUrl = url.AbsoluteUri });
        var paymentId = await CreatePaymentAsync();
        await harness.PayAsync(paymentId);
        await DeliverAsync(harness.Outbound(), Command(MessageTypes.RefundRequested,
            new RefundRequest { OrderNumber = "1001", PaymentId = paymentId, Amount = Money.Rub(100m) }, "refund-1"), Context("refund-1", "refunds/yookassa"));

        await WaitForAsync(() => sink.Messages.Any(m => m.Type == MessageTypes.RefundStatusChanged), "the refund notification");

        var message = sink.Messages.Single(m => m.Type == MessageTypes.RefundStatusChanged);
        var refund = PayloadOf<Refund>(message);
        Assert.That((refund.PaymentId, refund.OrderNumber, refund.Status, refund.Amount), Is.EqualTo((paymentId, "1001", RefundState.Succeeded, Money.Rub(100m))));
        Assert.That(message.EntityKey, Is.EqualTo("order:1001"));
    }

    /// <summary>A sink with an inbox: the same message id twice is a duplicate; failures on demand.</summary>
    private sealed class DedupSink : IInboundSink
    {
        private readonly ConcurrentDictionary<string, bool> seen = new();
        private readonly ConcurrentQueue<InboundMessage> messages = new();
        private readonly ConcurrentQueue<HandOffStatus> results = new();
        private int failNext;

        public Exception? Failure { get; set; }

        public int FailNext
        {
            get => failNext;
            set => failNext = value;
        }

        public IReadOnlyList<InboundMessage> Messages => messages.ToList();
        public IReadOnlyList<HandOffStatus> Results => results.ToList();
        public ConcurrentQueue<RecordedRejection> RejectionQueue { get; } = new();
        public IReadOnlyList<RecordedRejection> Rejections => RejectionQueue.ToList();

        public Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }
            if (Interlocked.Decrement(ref failNext) >= 0)
            {
                throw new IOException("the store is briefly unavailable");
            }
            var answers = new List<HandOffResult>();
            foreach (var message in batch)
            {
                messages.Enqueue(message);
                var status = seen.TryAdd(message.MessageId!, true) ? HandOffStatus.Accepted : HandOffStatus.Duplicate;
                results.Enqueue(status);
                answers.Add(new HandOffResult(status));
            }
            return Task.FromResult<IReadOnlyList<HandOffResult>>(answers);
        }

        public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken)
        {
            RejectionQueue.Enqueue(new RecordedRejection(endpointId, origin, messageId, error));
            return Task.CompletedTask;
        }
    }
}
