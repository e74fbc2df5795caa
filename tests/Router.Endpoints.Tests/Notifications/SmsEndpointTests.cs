using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Stores;
using Router.Endpoints.Http;
using Router.Endpoints.Notifications;
using Router.Endpoints.Sms;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.RequestLog;
using Router.Sandbox.Smsc;
using Router.Sandbox.SmsRu;
using static Router.Endpoints.Tests.Notifications.NotificationFixtures;

namespace Router.Endpoints.Tests.Notifications;

/// <summary>The sms endpoint against the sms.ru and SMSC emulators on loopback.</summary>
public sealed class SmsEndpointTests
{
    private const string EndpointId = "sms";
    private const string SmsRuSend = "/smsru/sms/send";
    private const string SmscSend = "/smsc/sys/send.php";

    private SmsRuEmulator smsru = null!;
    private SmscEmulator smsc = null!;
    private RunningSandbox sandbox = null!;
    private SandboxClient control = null!;
    private HttpClientProvider clients = null!;
    private InMemoryPartnerRecordStore records = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        smsru = new SmsRuEmulator();
        smsc = new SmscEmulator();
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [smsru, smsc] }, CancellationToken.None);
        control = new SandboxClient(sandbox.BaseAddress);
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        control.Dispose();
        await sandbox.DisposeAsync();
    }

    [SetUp]
    public async Task SetUp()
    {
        await control.ResetAsync();
        clients = new HttpClientProvider();
        records = new InMemoryPartnerRecordStore();
    }

    [TearDown]
    public void TearDown() => clients.Dispose();

    // ------------------------------------------------------------ sms.ru

    [Test]
    public async Task An_sms_goes_to_sms_ru_with_the_rendered_russian_text_and_the_receipt_names_the_sms_id()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "8 (916) 123-45-67");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        var message = smsru.Messages.Single();
        Assert.That(message.Phone, Is.EqualTo("79161234567"));
        Assert.That(message.Text, Is.EqualTo("Заказ №1001 передан в доставку (СДЭК). Трек-номер: 1106207236"));
        Assert.That(message.From, Is.EqualTo("SHOP"));
        Assert.That(receipt.Detail, Is.EqualTo($"SMS via smsru: sent to +79161234567 (id {message.SmsId})"));
        var request = (await control.RequestsAsync(new RequestLogQuery { Path = SmsRuSend })).Single();
        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.Body, Does.Contain("json=1"));
    }

    [Test]
    public async Task The_plan_shows_the_text_and_numbers_but_never_the_api_id()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+7 916 123 45 67, +7 916 765 43 21");
        var plan = endpoint.Plan(envelope, Context(envelope, EndpointId));

        var body = Encoding.UTF8.GetString(plan.Body);
        Assert.That(plan.Target, Is.EqualTo(new Uri(sandbox.BaseAddress, "smsru/sms/send").AbsoluteUri));
        Assert.That(body, Does.Contain("Заказ №1001 передан в доставку (СДЭК)"));
        Assert.That(body, Does.Contain("+79161234567").And.Contain("+79167654321"));
        Assert.That(body + plan.ShownTarget, Does.Not.Contain(SmsRuEmulator.DefaultApiId));
    }

    [Test]
    public async Task One_blocked_number_is_rejected_while_the_others_get_their_sms()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, $"+79161234567; +{SmsRuEmulator.DefaultBlockedNumber}");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        Assert.That(smsru.Messages.Select(m => m.Phone), Is.EqualTo(new[] { "79161234567" }));
        Assert.That(receipt.Detail, Does.Contain("sent to +79161234567").And.Contain($"rejected +{SmsRuEmulator.DefaultBlockedNumber} (207, "));
        var rejected = await records.GetAsync(EndpointId, SendClaims.KeyOf(context.IdempotencyKey, "+" + SmsRuEmulator.DefaultBlockedNumber), CancellationToken.None);
        Assert.That(rejected!.Status, Is.EqualTo(ClaimStatus.Rejected));
    }

    [Test]
    public async Task When_every_number_is_refused_the_delivery_fails_permanently_with_the_gateways_code()
    {
        var failure = await DeliverExpectingAsync<PermanentFailureException>(SmsRu(), "+" + SmsRuEmulator.DefaultBlockedNumber);

        Assert.That(failure.Code, Is.EqualTo("smsru-207"));
        Assert.That(smsru.Messages, Is.Empty);
    }

    [Test]
    public async Task A_wrong_api_id_is_permanent_and_leaves_the_claim_free_for_a_replay_with_the_right_one()
    {
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        var wrong = SmsRu(apiId: "not-the-key");

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => wrong.DeliverAsync(wrong.Plan(envelope, context), context, CancellationToken.None));
        Assert.That(failure!.Code, Is.EqualTo("smsru-200"));
        Assert.That(failure.Message, Does.Contain("Неправильный api_id").And.Not.Contain("not-the-key"));

        var right = SmsRu();
        await right.DeliverAsync(right.Plan(envelope, context), context, CancellationToken.None);
        Assert.That(smsru.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task No_funds_is_permanent()
    {
        smsru.Balance = 0m;

        var failure = await DeliverExpectingAsync<PermanentFailureException>(SmsRu(), "+79161234567");

        Assert.That(failure.Code, Is.EqualTo("smsru-201"));
    }

    [Test]
    public async Task Service_unavailable_220_is_transient_and_the_retry_sends_exactly_once()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);
        smsru.Unavailable = true;

        Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(plan, context, CancellationToken.None));

        smsru.Unavailable = false;
        await endpoint.DeliverAsync(plan, context with { Attempt = 2 }, CancellationToken.None);
        Assert.That(smsru.Messages, Has.Count.EqualTo(1));
    }

    [TestCase(500)]
    [TestCase(503)]
    public async Task An_http_5xx_is_transient_and_the_retry_sends(int status)
    {
        await control.AddFaultAsync(SmsRuEmulator.EmulatorName, FaultSpec.Answer(status));
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(plan, context, CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain($"answered {status}"));

        await endpoint.DeliverAsync(plan, context with { Attempt = 2 }, CancellationToken.None);
        Assert.That(smsru.Messages, Has.Count.EqualTo(1));
        Assert.That(await control.RequestsAsync(new RequestLogQuery { Path = SmsRuSend }), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_refused_connection_is_transient_and_releases_the_claim()
    {
        var closedPort = ClosedPort();
        var endpoint = SmsRu(baseUrl: $"http://127.0.0.1:{closedPort}/smsru");
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);

        Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        var claim = await records.GetAsync(EndpointId, SendClaims.KeyOf(context.IdempotencyKey, "+79161234567"), CancellationToken.None);
        Assert.That(claim!.Status, Is.EqualTo(ClaimStatus.Released));
        var working = SmsRu();
        await working.DeliverAsync(working.Plan(envelope, context), context, CancellationToken.None);
        Assert.That(smsru.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_redelivery_after_success_sends_nothing_and_says_it_was_already_sent()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        // A fresh endpoint instance, as after a restart: the claim is all it knows.
        var again = SmsRu();
        var receipt = await again.DeliverAsync(again.Plan(envelope, context), context with { Attempt = 2 }, CancellationToken.None);

        Assert.That(await control.RequestsAsync(new RequestLogQuery { Path = SmsRuSend }), Has.Count.EqualTo(1));
        Assert.That(smsru.Messages, Has.Count.EqualTo(1));
        Assert.That(receipt.Detail, Does.Contain($"sent to +79161234567 (id {smsru.Messages[0].SmsId}, by an earlier attempt)"));
    }

    [Test]
    public async Task A_claim_left_without_an_answer_by_a_crash_is_an_unknown_outcome_for_a_human()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        // What a host that died between the claim and the gateway's answer leaves behind.
        await records.TryInsertAsync(new PartnerRecord(EndpointId, SendClaims.KeyOf(context.IdempotencyKey, "+79161234567"), ClaimStatus.Claimed,
            "{\"Recipient\":\"+79161234567\"}", DateTimeOffset.UtcNow), CancellationToken.None);

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo(ClaimedSend.UnknownOutcome));
        Assert.That(failure.Message, Does.Contain("+79161234567").And.Contain("may or may not have sent it"));
        Assert.That(await control.RequestsAsync(new RequestLogQuery { Path = SmsRuSend }), Is.Empty);
    }

    [Test]
    public async Task A_gateway_that_never_answers_is_an_unknown_outcome_and_stays_one_on_redelivery()
    {
        await control.AddFaultAsync(SmsRuEmulator.EmulatorName, FaultSpec.Hang());
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);

        // The resilience pipeline's timeout cancels the attempt the same way.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(plan, context, timeout.Token));
            Assert.That(failure!.Code, Is.EqualTo(ClaimedSend.UnknownOutcome));
        }

        var again = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(plan, context with { Attempt = 2 }, CancellationToken.None));
        Assert.That(again!.Code, Is.EqualTo(ClaimedSend.UnknownOutcome));
        Assert.That(await control.RequestsAsync(new RequestLogQuery { Path = SmsRuSend }), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_number_that_is_not_russian_is_refused_before_any_gateway_is_asked()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+44 20 7946 0958");

        var failure = Assert.Throws<PermanentFailureException>(() => endpoint.Plan(envelope, Context(envelope, EndpointId)));

        Assert.That(failure!.Code, Is.EqualTo("invalid-phone"));
    }

    [Test]
    public void A_missing_template_is_permanent_and_names_the_file()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567", template: "order-lost");

        var failure = Assert.Throws<PermanentFailureException>(() => endpoint.Plan(envelope, Context(envelope, EndpointId)));

        Assert.That(failure!.Code, Is.EqualTo(TemplateDirectory.TemplateRenderFailed));
        Assert.That(failure.Message, Does.Contain("order-lost.sms.liquid"));
    }

    [Test]
    public void An_email_notification_routed_to_the_sms_endpoint_is_refused()
    {
        var endpoint = SmsRu();
        var envelope = Notification(NotificationChannel.Email, "anna@example.ru");

        var failure = Assert.Throws<PermanentFailureException>(() => endpoint.Plan(envelope, Context(envelope, EndpointId)));

        Assert.That(failure!.Message, Does.Contain("a notification for the email channel was routed to an sms endpoint"));
    }

    // ------------------------------------------------------------ SMSC

    [Test]
    public async Task An_sms_goes_to_smsc_with_login_and_password_and_the_receipt_names_its_id()
    {
        var endpoint = Smsc();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        var message = smsc.Messages.Single();
        Assert.That(message.Text, Is.EqualTo("Заказ №1001 передан в доставку (СДЭК). Трек-номер: 1106207236"));
        Assert.That(receipt.Detail, Is.EqualTo($"SMS via smsc: sent to +79161234567 (id {message.Id})"));
        var body = (await control.RequestsAsync(new RequestLogQuery { Path = SmscSend })).Single().Body;
        Assert.That(body, Does.Contain("fmt=3").And.Contain("op=1").And.Contain("charset=utf-8"));
    }

    [Test]
    public async Task Smsc_with_an_api_key_and_one_undeliverable_phone_sends_to_the_rest()
    {
        var endpoint = Smsc(useApiKey: true);
        var envelope = Notification(NotificationChannel.Sms, $"+79161234567,+{SmscEmulator.DefaultUndeliverableNumber}");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        Assert.That(smsc.Messages.Select(m => m.Phone), Is.EqualTo(new[] { "79161234567" }));
        Assert.That(receipt.Detail, Does.Contain($"rejected +{SmscEmulator.DefaultUndeliverableNumber} (8, cannot be delivered to this number)"));
    }

    [Test]
    public async Task Smsc_bad_credentials_are_permanent()
    {
        var failure = await DeliverExpectingAsync<PermanentFailureException>(Smsc(password: "wrong"), "+79161234567");

        Assert.That(failure.Code, Is.EqualTo("smsc-2"));
        Assert.That(failure.Message, Does.Not.Contain("wrong"));
    }

    [Test]
    public async Task Smsc_error_9_for_a_repeated_request_is_transient_with_a_back_off()
    {
        var gateway = new SmscGateway(new Uri(sandbox.BaseAddress, "smsc"), SmscEmulator.DefaultLogin, SmscEmulator.DefaultPassword, null);
        var request = new SmsRequest(["79161234567"], "Проверка", null);
        await gateway.SendAsync(clients.Get("smsc"), request, CancellationToken.None);

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => gateway.SendAsync(clients.Get("smsc"), request, CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("error 9"));
        Assert.That(failure.RetryAfter, Is.EqualTo(SmscCodes.BackOff));
    }

    [Test]
    public async Task Smsc_redelivery_after_success_sends_nothing()
    {
        var endpoint = Smsc();
        var envelope = Notification(NotificationChannel.Sms, "+79161234567");
        var context = Context(envelope, EndpointId);
        await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context with { Attempt = 2 }, CancellationToken.None);

        Assert.That(await control.RequestsAsync(new RequestLogQuery { Path = SmscSend }), Has.Count.EqualTo(1));
    }

    // ------------------------------------------------------------ helpers

    private SmsOutboundEndpoint SmsRu(string apiId = SmsRuEmulator.DefaultApiId, string? baseUrl = null) =>
        Create(Yaml.Map(
            ("kind", "sms"),
            ("provider", "smsru"),
            ("baseUrl", baseUrl ?? new Uri(sandbox.BaseAddress, "smsru").AbsoluteUri),
            ("apiId", new Secret(apiId)),
            ("from", "SHOP"),
            ("templates", TemplatesDirectory)));

    private SmsOutboundEndpoint Smsc(string password = SmscEmulator.DefaultPassword, bool useApiKey = false) =>
        Create(useApiKey
            ? Yaml.Map(("kind", "sms"), ("provider", "smsc"), ("baseUrl", new Uri(sandbox.BaseAddress, "smsc").AbsoluteUri),
                ("apiKey", new Secret(SmscEmulator.DefaultApiKey)), ("templates", TemplatesDirectory))
            : Yaml.Map(("kind", "sms"), ("provider", "smsc"), ("baseUrl", new Uri(sandbox.BaseAddress, "smsc").AbsoluteUri),
                ("login", SmscEmulator.DefaultLogin), ("password", new Secret(password)), ("templates", TemplatesDirectory)));

    private SmsOutboundEndpoint Create(Router.Core.Config.Nodes.ConfigMapping options)
    {
        var kind = new SmsEndpointKind();
        Assert.That(kind.CheckOptions(options, new EndpointUsage(false, true)), Is.Empty);
        return (SmsOutboundEndpoint)kind.CreateOutbound(new EndpointDefinition(EndpointId, "sms", options), Services(clients, records));
    }

    private static async Task<T> DeliverExpectingAsync<T>(IOutboundEndpoint endpoint, string recipient) where T : Exception
    {
        var envelope = Notification(NotificationChannel.Sms, recipient);
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);
        try
        {
            await endpoint.DeliverAsync(plan, context, CancellationToken.None);
        }
        catch (T expected)
        {
            return expected;
        }
        Assert.Fail($"expected {typeof(T).Name}");
        return null!;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
