using System.Net;
using System.Text;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Endpoints.Cdek;
using Router.Endpoints.Http;
using Router.Endpoints.Listener;
using Router.Endpoints.Tests.Carriers;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.Cdek;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.RequestLog;
using Serilog;
using Serilog.Events;

namespace Router.Endpoints.Tests.Cdek;

/// <summary>The cdek endpoint against the sandbox's CDEK: OAuth, asynchronous creates, retries without duplicates, cancel, webhook, polling.</summary>
public sealed class CdekEndpointTests
{
    private const string WebhookSecret = "cdek-hook-3f9a1c7e5b2d4a60";
    private const string TokenPath = "/cdek/v2/oauth/token";
    private const string OrdersPath = "/cdek/v2/orders";

    private CdekEmulator cdek = null!;
    private RunningSandbox sandbox = null!;
    private SandboxClient control = null!;
    private HttpClientProvider clients = null!;
    private ShiftableClock clock = null!;
    private CollectingLogSink logs = null!;
    private InMemoryPartnerRecordStore records = null!;
    private EndpointServices services = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        cdek = new CdekEmulator();
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [cdek] }, CancellationToken.None);
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
        clock = new ShiftableClock();
        logs = new CollectingLogSink();
        records = new InMemoryPartnerRecordStore();
        services = new EndpointServices
        {
            FileSystem = new System.IO.Abstractions.TestingHelpers.MockFileSystem(),
            Http = clients,
            Clock = clock,
            Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(logs).CreateLogger(),
            BaseDirectory = "/router",
            Records = records,
        };
    }

    [TearDown]
    public void TearDown() => clients.Dispose();

    private CdekOptions Options(string secret = CdekEmulator.DefaultClientSecret) => CdekOptions.Read(Yaml.Map(
        ("baseUrl", sandbox.UrlOf("cdek/v2").AbsoluteUri),
        ("clientId", CdekEmulator.DefaultClientId),
        ("clientSecret", new Secret(secret)),
        ("shipment", Yaml.Map(("tariff", 136), ("fromLocation", Yaml.Map(("code", 270), ("address", "ул. Большевистская, 101"))))),
        ("webhook", Yaml.Map(("secret", new Secret(WebhookSecret)))),
        ("poll", "10m")));

    private CdekOutboundEndpoint Outbound() => new("cdek", Options(), services);

    private static DeliveryContext Context(Envelope envelope, int attempt = 1) => new()
    {
        RouteId = "shipments",
        EndpointId = "cdek",
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "shipments/cdek"),
        Attempt = attempt,
    };

    private static Envelope Create(string number, string? pickupPoint = "MSK123") =>
        Shipments.Envelope(MessageTypes.ShipmentRequested, Shipments.Request(number, "cdek", pickupPoint), "m-" + number);

    private static Envelope Cancel(string number) =>
        Shipments.Envelope(MessageTypes.ShipmentCancelRequested, new ShipmentCancellation { OrderNumber = number, Carrier = "cdek", Reason = "клиент передумал" }, "c-" + number);

    private static async Task<DeliveryReceipt> DeliverAsync(IOutboundEndpoint endpoint, Envelope envelope, int attempt = 1)
    {
        var context = Context(envelope, attempt);
        return await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);
    }

    private async Task<IReadOnlyList<RequestLogEntry>> RequestsAsync(string? method = null, string? path = null) =>
        await control.RequestsAsync(new RequestLogQuery { Emulator = "cdek", Method = method, Path = path });

    [Test]
    public async Task A_create_is_followed_until_successful_and_replies_created_with_the_cdek_number()
    {
        var receipt = await DeliverAsync(Outbound(), Create("A-1001"));

        var order = cdek.Store.Orders.Single();
        Assert.That(order.CdekNumber, Is.Not.Null);
        var reply = receipt.Replies.Single();
        var status = Shipments.StatusOf(reply);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Type, Is.EqualTo(MessageTypes.ShipmentStatusChanged));
            Assert.That(reply.MessageId, Is.EqualTo($"cdek:{order.Uuid}:CREATED"));
            Assert.That(reply.EntityKey, Is.EqualTo("order:A-1001"));
            Assert.That(status.State, Is.EqualTo(ShipmentState.Created));
            Assert.That(status.TrackingNumber, Is.EqualTo(order.CdekNumber));
            Assert.That(status.Carrier, Is.EqualTo("cdek"));
        });
        var record = await records.GetAsync("cdek", "A-1001", CancellationToken.None);
        Assert.That(record!.Status, Is.EqualTo(CdekOrderRecord.Tracking));
        Assert.That(record.DueAt, Is.Not.Null, "a registered order is polled");
        Assert.That(CdekOrderRecord.From(record).Uuid, Is.EqualTo(order.Uuid));
        var posted = (await RequestsAsync("POST", OrdersPath)).Single();
        Assert.That(posted.Header("Authorization"), Does.StartWith("Bearer "));
        Assert.That(posted.Body, Does.Contain("\"delivery_point\":\"MSK123\"").And.Not.Contain("to_location"));
    }

    [Test]
    public async Task The_token_is_fetched_once_and_reused_across_calls()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-2001"));
        await DeliverAsync(endpoint, Create("A-2002"));

        var tokenCalls = await RequestsAsync("POST", TokenPath);
        Assert.That(tokenCalls, Has.Count.EqualTo(1));
        Assert.That(tokenCalls[0].Body, Does.Contain("grant_type=client_credentials"));
        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_revoked_token_gets_a_401_and_one_retry_with_a_fresh_token()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-3001"));
        using (var http = new HttpClient { BaseAddress = sandbox.BaseAddress })
        {
            (await http.PostAsync("_sandbox/cdek/tokens/revoke", null)).EnsureSuccessStatusCode();
        }

        await DeliverAsync(endpoint, Create("A-3002"));

        Assert.That(await RequestsAsync("POST", TokenPath), Has.Count.EqualTo(2));
        Assert.That((await RequestsAsync()).Count(r => r.Status == 401), Is.EqualTo(1));
        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_token_near_its_expiry_is_replaced_before_it_is_used()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-4001"));
        clock.Advance(TimeSpan.FromSeconds(3599) - CdekTokenSource.RefreshMargin + TimeSpan.FromSeconds(1));

        await DeliverAsync(endpoint, Create("A-4002"));

        Assert.That(await RequestsAsync("POST", TokenPath), Has.Count.EqualTo(2));
        Assert.That((await RequestsAsync()).Count(r => r.Status == 401), Is.Zero, "refreshed early, never refused");
    }

    [Test]
    public async Task Wrong_client_credentials_are_a_permanent_failure_that_never_shows_the_secret()
    {
        var endpoint = new CdekOutboundEndpoint("cdek", Options(secret: "not-the-real-secret-123"), services);
        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => DeliverAsync(endpoint, Create("A-5001")));
        Assert.That(failure!.Code, Is.EqualTo("cdek-auth"));
        Assert.That(failure.Message, Does.Not.Contain("not-the-real-secret-123"));
        Assert.That(cdek.Store.Orders, Is.Empty);
    }

    [Test]
    public async Task Cdek_refusing_an_order_in_the_background_is_an_invalid_reply_not_an_exception()
    {
        var endpoint = Outbound();
        var envelope = Create("A-6001");
        var context = Context(envelope);
        var plan = endpoint.Plan(envelope, context);
        // Both a pickup point and an address: CDEK accepts it with 202, then turns the request INVALID.
        var both = Encoding.UTF8.GetString(plan.Body).Replace("\"delivery_point\":\"MSK123\"", "\"delivery_point\":\"MSK123\",\"to_location\":{\"code\":44,\"address\":\"ул. Тверская, 7\"}");
        var receipt = await endpoint.DeliverAsync(plan with { Body = Encoding.UTF8.GetBytes(both) }, context, CancellationToken.None);

        var status = Shipments.StatusOf(receipt.Replies.Single());
        Assert.That(status.State, Is.EqualTo(ShipmentState.Invalid));
        Assert.That(status.CarrierName, Does.Contain("v2_delivery_address_multivalued"));
        Assert.That(receipt.Replies.Single().MessageId, Is.EqualTo($"cdek:{cdek.Store.Orders.Single().Uuid}:INVALID"));
        Assert.That((await records.GetAsync("cdek", "A-6001", CancellationToken.None))!.DueAt, Is.Null, "nothing to poll");
    }

    [Test]
    public async Task A_create_whose_answer_is_lost_is_found_by_im_number_on_retry_and_not_created_twice()
    {
        cdek.Settings = cdek.Settings with { LoseCreateAnswers = 1 };
        var endpoint = Outbound();
        var envelope = Create("A-7001");

        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(endpoint, envelope, attempt: 1));
        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(1), "CDEK registered it although the answer never arrived");

        var receipt = await DeliverAsync(endpoint, envelope, attempt: 2);

        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(1));
        Assert.That(await RequestsAsync("POST", OrdersPath), Has.Count.EqualTo(1));
        Assert.That((await RequestsAsync("GET", OrdersPath)).Single().Query, Is.EqualTo("?im_number=A-7001"));
        Assert.That(Shipments.StatusOf(receipt.Replies.Single()).TrackingNumber, Is.EqualTo(cdek.Store.Orders[0].CdekNumber));
    }

    [Test]
    public async Task A_create_cut_off_by_an_injected_reset_is_retried_once_the_lookup_finds_nothing()
    {
        await control.AddFaultAsync("cdek", new FaultSpec { Type = FaultType.Reset, Path = OrdersPath, Count = 1 });
        var endpoint = Outbound();
        var envelope = Create("A-7002");

        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(endpoint, envelope, attempt: 1));
        await DeliverAsync(endpoint, envelope, attempt: 2);

        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(1));
        Assert.That((await RequestsAsync("GET", OrdersPath)).Select(r => r.Query), Has.Member("?im_number=A-7002"));
    }

    [Test]
    public async Task A_5xx_burst_is_transient_and_the_redelivery_creates_one_order()
    {
        await control.AddFaultAsync("cdek", FaultSpec.Answer(503, count: 1) with { Path = OrdersPath });
        var endpoint = Outbound();
        var envelope = Create("A-7003");

        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(endpoint, envelope, attempt: 1));
        await DeliverAsync(endpoint, envelope, attempt: 2);

        Assert.That(cdek.Store.Orders, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_order_still_created_is_deleted_and_replies_cancelled()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-8001"));

        var receipt = await DeliverAsync(endpoint, Cancel("A-8001"));

        var order = cdek.Store.Orders.Single();
        Assert.That(order.CurrentCode, Is.EqualTo("REMOVED"));
        Assert.That(await RequestsAsync("DELETE", $"{OrdersPath}/{order.Uuid}"), Has.Count.EqualTo(1));
        var status = Shipments.StatusOf(receipt.Replies.Single());
        Assert.That(status.State, Is.EqualTo(ShipmentState.Cancelled));
        Assert.That(receipt.Replies.Single().MessageId, Is.EqualTo($"cdek:{order.Uuid}:REMOVED"));

        // A redelivered cancellation finds it removed and answers the same, without another DELETE.
        var again = await DeliverAsync(endpoint, Cancel("A-8001"));
        Assert.That(again.Replies.Single().MessageId, Is.EqualTo(receipt.Replies.Single().MessageId));
        Assert.That(await RequestsAsync("DELETE", $"{OrdersPath}/{order.Uuid}"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_order_that_started_moving_is_refused_instead_of_deleted()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-8002"));
        var order = cdek.Store.Orders.Single();
        cdek.SetStatus(order.Uuid, "RECEIVED_AT_SHIPMENT_WAREHOUSE", webhook: false);

        var receipt = await DeliverAsync(endpoint, Cancel("A-8002"));

        Assert.That(await RequestsAsync("DELETE"), Is.Empty);
        Assert.That(await RequestsAsync("POST", $"{OrdersPath}/{order.Uuid}/refusal"), Has.Count.EqualTo(1));
        Assert.That(order.Refused, Is.True);
        Assert.That(Shipments.StatusOf(receipt.Replies.Single()).State, Is.EqualTo(ShipmentState.Cancelled));
    }

    [Test]
    public async Task The_tariff_calculator_prices_one_tariff()
    {
        var tariff = await Outbound().Client.CalculateTariffAsync(new CdekTariffRequest
        {
            TariffCode = 136,
            FromLocation = new CdekTariffLocation(Code: 270),
            ToLocation = new CdekTariffLocation(Code: 44),
            Packages = [new CdekTariffPackage(1200, 30, 20, 10)],
        }, CancellationToken.None);

        Assert.That(tariff.DeliverySum, Is.EqualTo(340m)); // the sandbox's price: 250 + 45 per started kilogram
        Assert.That(tariff.PeriodMin, Is.EqualTo(2));
        var sent = (await RequestsAsync("POST", "/cdek/v2/calculator/tariff")).Single();
        Assert.That(sent.Body, Does.Contain("\"tariff_code\":136").And.Contain("\"from_location\":{\"code\":270}"));

        var refused = Assert.ThrowsAsync<PermanentFailureException>(() => Outbound().Client.CalculateTariffAsync(new CdekTariffRequest
        {
            TariffCode = 136,
            FromLocation = new CdekTariffLocation(Code: 270),
            ToLocation = new CdekTariffLocation(Code: 44),
            Packages = [],
        }, CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("v2_field_is_empty"));
    }

    // ------------------------------------------------------------------ webhook and polling

    private async Task<(CdekInboundEndpoint Inbound, InboxSink Sink, RouterHttpListener Listener)> ListenAsync()
    {
        var inbound = new CdekWebhookInboundEndpoint("cdek", Options(), services);
        var sink = new InboxSink();
        var listener = await RouterHttpListener.StartAsync("http://127.0.0.1:0", [inbound], sink, services.Logger, CancellationToken.None);
        return (inbound, sink, listener);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task A_webhook_with_a_wrong_secret_is_refused_and_logged_without_any_secret()
    {
        var (_, sink, listener) = await ListenAsync();
        await using var _ = listener;
        using var http = new HttpClient();
        var body = new StringContent(ApiSamples.Read("cdek_webhook_order_status.json"), Encoding.UTF8, "application/json");

        var response = await http.PostAsync(new Uri(listener.Address, "webhooks/cdek/guessed-secret-0000000"), body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(sink.HandedOff, Is.Empty);
        var warning = logs.Events.Where(e => e.Level == LogEventLevel.Warning).Select(e => e.RenderMessage()).ToList();
        Assert.That(warning, Has.Some.Contains("does not carry the configured secret"));
        Assert.That(logs.Rendered, Has.None.Contains(WebhookSecret).And.None.Contains("guessed-secret-0000000"));
    }

    [Test]
    public async Task A_webhook_is_handed_off_and_its_repeat_is_a_duplicate()
    {
        var (_, sink, listener) = await ListenAsync();
        await using var _ = listener;
        using var http = new HttpClient();
        var url = new Uri(listener.Address, "webhooks/cdek/" + WebhookSecret);
        // The sample names no shop order number: the endpoint reads the order back from CDEK, so it must exist there.
        await DeliverAsync(Outbound(), Create("shop-42"));
        var uuid = cdek.Store.Orders.Single().Uuid;
        cdek.SetStatus(uuid, "RECEIVED_AT_SHIPMENT_WAREHOUSE", webhook: false);
        var payload = ApiSamples.Read("cdek_webhook_order_status.json").Replace("72753031-2801-4186-a091-0be58cedfee7", uuid);

        var first = await http.PostAsync(url, new StringContent(payload, Encoding.UTF8, "application/json"));
        var second = await http.PostAsync(url, new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var received = sink.HandedOff.Where(h => h.Message.MessageId == $"cdek:{uuid}:RECEIVED_AT_SHIPMENT_WAREHOUSE").ToList();
        Assert.That(received.Select(h => h.Status), Is.EqualTo(new[] { HandOffStatus.Accepted, HandOffStatus.Duplicate }));
        var status = Shipments.StatusOf(received[0].Message);
        Assert.That(status.OrderNumber, Is.EqualTo("shop-42"));
        Assert.That(status.State, Is.EqualTo(ShipmentState.Accepted));
    }

    [Test]
    public async Task A_webhook_claiming_a_status_the_order_does_not_show_hands_on_only_what_CDEK_s_API_says()
    {
        var (_, sink, listener) = await ListenAsync();
        await using var _ = listener;
        using var http = new HttpClient();
        await DeliverAsync(Outbound(), Create("shop-43"));
        var uuid = cdek.Store.Orders.Single().Uuid;
        var forged = ApiSamples.Read("cdek_webhook_order_status.json").Replace("72753031-2801-4186-a091-0be58cedfee7", uuid)
            .Replace("RECEIVED_AT_SHIPMENT_WAREHOUSE", "DELIVERED", StringComparison.Ordinal);

        var answer = await http.PostAsync(new Uri(listener.Address, "webhooks/cdek/" + WebhookSecret), new StringContent(forged, Encoding.UTF8, "application/json"));

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(sink.HandedOff.Select(h => h.Message.MessageId), Is.EqualTo(new[] { $"cdek:{uuid}:CREATED" }), "the unsigned claim is not trusted");
    }

    [Test]
    public async Task The_emulator_sends_each_status_once_to_the_subscribed_url()
    {
        var (_, sink, listener) = await ListenAsync();
        await using var _ = listener;
        cdek.Settings = cdek.Settings with { WebhookUrl = new Uri(listener.Address, "webhooks/cdek/" + WebhookSecret).AbsoluteUri };
        await DeliverAsync(Outbound(), Create("A-9001"));
        var uuid = cdek.Store.Orders.Single().Uuid;

        cdek.SetStatus(uuid, "RECEIVED_AT_SHIPMENT_WAREHOUSE");

        await WaitForAsync(() => sink.Accepted.Any(m => m.MessageId == $"cdek:{uuid}:RECEIVED_AT_SHIPMENT_WAREHOUSE"), "the webhook");
        await WaitForAsync(() => cdek.WebhooksSent.Count == 2, "both webhooks recorded");
        Assert.That(cdek.WebhooksSent.Select(w => w.Code), Is.EquivalentTo(new[] { "CREATED", "RECEIVED_AT_SHIPMENT_WAREHOUSE" }));
        Assert.That(cdek.WebhooksSent.All(w => w.Status == 200), Is.True);
    }

    [Test]
    public async Task Polling_finds_a_status_the_webhook_never_delivered_and_stops_at_a_final_one()
    {
        var (inbound, sink, listener) = await ListenAsync();
        await using var _ = listener;
        await DeliverAsync(Outbound(), Create("A-9101"));
        var uuid = cdek.Store.Orders.Single().Uuid;
        cdek.SetStatus(uuid, "RECEIVED_AT_SHIPMENT_WAREHOUSE", webhook: false);

        var notYet = await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That(notYet.Accepted, Is.Zero, "not due before the poll interval");

        clock.Advance(TimeSpan.FromMinutes(11));
        var found = await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That(found.Accepted, Is.EqualTo(1));
        Assert.That(sink.Accepted.Single().MessageId, Is.EqualTo($"cdek:{uuid}:RECEIVED_AT_SHIPMENT_WAREHOUSE"));

        cdek.SetStatus(uuid, "DELIVERED", webhook: false);
        clock.Advance(TimeSpan.FromMinutes(11));
        await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That(Shipments.StatusOf(sink.Accepted.Last()).State, Is.EqualTo(ShipmentState.Delivered));
        var record = await records.GetAsync("cdek", "A-9101", CancellationToken.None);
        Assert.That(record!.DueAt, Is.Null);
        Assert.That(record.Status, Is.EqualTo(CdekOrderRecord.Final));

        var reads = (await RequestsAsync("GET", $"{OrdersPath}/{uuid}")).Count;
        clock.Advance(TimeSpan.FromMinutes(11));
        await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That((await RequestsAsync("GET", $"{OrdersPath}/{uuid}")).Count, Is.EqualTo(reads), "a delivered order is not read again");
    }
}
