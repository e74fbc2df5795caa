using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Endpoints.Boxberry;
using Router.Endpoints.Http;
using Router.Endpoints.Tests.Carriers;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.Boxberry;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.RequestLog;
using Serilog;

namespace Router.Endpoints.Tests.Boxberry;

/// <summary>The boxberry endpoint against the sandbox's json.php: create, retries without duplicates, errors with 200, cancel, hourly polling, cached points.</summary>
public sealed class BoxberryEndpointTests
{
    private BoxberryEmulator boxberry = null!;
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
        boxberry = new BoxberryEmulator();
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [boxberry] }, CancellationToken.None);
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

    private BoxberryOptions Options(string token = BoxberryEmulator.DefaultToken) => BoxberryOptions.Read(Yaml.Map(
        ("url", sandbox.UrlOf("boxberry/json.php").AbsoluteUri),
        ("token", new Secret(token)),
        ("shipment", Yaml.Map(("pointOfAcceptance", "010")))));

    private BoxberryOutboundEndpoint Outbound(string token = BoxberryEmulator.DefaultToken) => new("boxberry", Options(token), services);

    private static Envelope Create(string number, string? pickupPoint = "99451") =>
        Shipments.Envelope(MessageTypes.ShipmentRequested, Shipments.Request(number, "boxberry", pickupPoint), "m-" + number);

    private static Envelope Cancel(string number) =>
        Shipments.Envelope(MessageTypes.ShipmentCancelRequested, new ShipmentCancellation { OrderNumber = number, Carrier = "boxberry" }, "c-" + number);

    private static async Task<DeliveryReceipt> DeliverAsync(IOutboundEndpoint endpoint, Envelope envelope, int attempt = 1)
    {
        var context = new DeliveryContext
        {
            RouteId = "shipments",
            EndpointId = "boxberry",
            IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "shipments/boxberry"),
            Attempt = attempt,
        };
        return await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);
    }

    private async Task<IReadOnlyList<RequestLogEntry>> CallsAsync(string method) =>
        (await control.RequestsAsync(new RequestLogQuery { Emulator = "boxberry" }))
        .Where(r => (r.Query ?? "").Contains("method=" + method) || r.Body.Contains("method=" + method)).ToList();

    [Test]
    public async Task A_parcel_is_created_with_a_form_post_and_replies_created_with_its_track()
    {
        var receipt = await DeliverAsync(Outbound(), Create("A-1001"));

        var parcel = boxberry.Parcels.Single();
        Assert.That(parcel.Track, Does.StartWith("AAP"));
        var reply = receipt.Replies.Single();
        var status = Shipments.StatusOf(reply);
        Assert.That(status.State, Is.EqualTo(ShipmentState.Created));
        Assert.That(status.TrackingNumber, Is.EqualTo(parcel.Track));
        Assert.That(reply.MessageId, Is.EqualTo("boxberry:A-1001:Загружен реестр ИМ"));
        var post = (await CallsAsync("ParselCreate")).Single();
        Assert.That(post.Method, Is.EqualTo("POST"));
        Assert.That(post.Header("Content-Type"), Does.StartWith("application/x-www-form-urlencoded"));
        Assert.That(post.Body, Does.Contain("sdata="));
        Assert.That((await records.GetAsync("boxberry", "A-1001", CancellationToken.None))!.DueAt, Is.EqualTo(clock.GetUtcNow() + TimeSpan.FromHours(1)).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void The_plan_shows_the_form_with_the_token_masked()
    {
        var endpoint = Outbound();
        var envelope = Create("A-1002");
        var plan = endpoint.Plan(envelope, new DeliveryContext { RouteId = "r", EndpointId = "boxberry", IdempotencyKey = "k" });
        var body = System.Text.Encoding.UTF8.GetString(plan.Body);
        Assert.That(body, Does.StartWith("token=%2A%2A%2A&method=ParselCreate&sdata="));
        Assert.That(body, Does.Not.Contain(BoxberryEmulator.DefaultToken));
    }

    [Test]
    public async Task A_retried_create_finds_the_parcel_by_order_id_and_does_not_create_it_again()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-2001"));

        var retry = await DeliverAsync(new BoxberryOutboundEndpoint("boxberry", Options(), services with { Records = new InMemoryPartnerRecordStore() }), Create("A-2001"), attempt: 2);

        Assert.That(boxberry.Parcels, Has.Count.EqualTo(1));
        Assert.That(await CallsAsync("ParselCreate"), Has.Count.EqualTo(1));
        Assert.That(Shipments.StatusOf(retry.Replies.Single()).State, Is.EqualTo(ShipmentState.Created));
    }

    [Test]
    public async Task Already_taken_after_a_lost_answer_is_taken_as_created_once_the_lookup_confirms_it()
    {
        // The first create went through but its answer was lost (connection reset on the way back is not injectable,
        // so the parcel is made directly); this attempt's look-up is hit by an error, so the create runs and is told «уже занято».
        await DeliverAsync(Outbound(), Create("A-2002"));
        boxberry.Force(new BoxberryForcedError(BoxberryErrorVariant.InList, Message: "Сервис временно недоступен", Method: "ListStatuses"));
        var endpoint = new BoxberryOutboundEndpoint("boxberry", Options(), services with { Records = new InMemoryPartnerRecordStore() });

        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(endpoint, Create("A-2002"), attempt: 2));
        var receipt = await DeliverAsync(new BoxberryOutboundEndpoint("boxberry", Options(), services with { Records = new InMemoryPartnerRecordStore() }),
            Create("A-2002"), attempt: 1);

        Assert.That(boxberry.Parcels, Has.Count.EqualTo(1));
        Assert.That(Shipments.StatusOf(receipt.Replies.Single()).State, Is.EqualTo(ShipmentState.Created));
        Assert.That(logs.Rendered, Has.Some.Contains("is taken and knows the parcel"));
    }

    [Test]
    public async Task A_reset_on_the_create_is_transient_and_the_retry_creates_exactly_one_parcel()
    {
        await control.AddFaultAsync("boxberry", new FaultSpec { Type = FaultType.Reset, Count = 1 });
        var endpoint = Outbound();

        Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(endpoint, Create("A-2003")));
        await DeliverAsync(endpoint, Create("A-2003"), attempt: 2);

        Assert.That(boxberry.Parcels, Has.Count.EqualTo(1));
    }

    [TestCase(BoxberryErrorVariant.ErrText, typeof(PermanentFailureException))]
    [TestCase(BoxberryErrorVariant.ErrFlag, typeof(PermanentFailureException))]
    [TestCase(BoxberryErrorVariant.ErrorFlag, typeof(PermanentFailureException))]
    [TestCase(BoxberryErrorVariant.InList, typeof(PermanentFailureException))]
    [TestCase(BoxberryErrorVariant.Empty, typeof(TransientFailureException))]
    [TestCase(BoxberryErrorVariant.Html, typeof(TransientFailureException))]
    public async Task Errors_that_arrive_with_http_200_are_classified(BoxberryErrorVariant variant, Type expected)
    {
        boxberry.Force(new BoxberryForcedError(variant, Message: "Длина, Ширина, Высота и Вес каждого места в заказе должны быть целыми числами", Method: "ParselCreate"));

        var failure = Assert.CatchAsync(() => DeliverAsync(Outbound(), Create("A-3001")));

        Assert.That(failure, Is.TypeOf(expected));
        Assert.That(boxberry.Parcels, Is.Empty);
        Assert.That((await CallsAsync("ParselCreate")).Single().Status, Is.EqualTo(200));
    }

    [Test]
    public void A_wrong_token_is_permanent_and_not_quoted()
    {
        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => Outbound(token: "wrong-token-value-42").Client.ListPointsAsync("68", CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain("Ключ интеграции").And.Not.Contain("wrong-token-value-42"));
    }

    [Test]
    public async Task A_parcel_not_yet_handed_over_is_deleted_and_a_moving_one_recalled()
    {
        var endpoint = Outbound();
        await DeliverAsync(endpoint, Create("A-4001"));
        await DeliverAsync(endpoint, Create("A-4002"));
        boxberry.Advance("A-4002");

        var deleted = await DeliverAsync(endpoint, Cancel("A-4001"));
        var recalled = await DeliverAsync(endpoint, Cancel("A-4002"));

        Assert.That(boxberry.Parcels.Single(p => p.OrderId == "A-4001").CancelType, Is.EqualTo("1"));
        Assert.That(boxberry.Parcels.Single(p => p.OrderId == "A-4002").CancelType, Is.EqualTo("2"));
        Assert.That(Shipments.StatusOf(deleted.Replies.Single()).State, Is.EqualTo(ShipmentState.Cancelled));
        Assert.That(Shipments.StatusOf(recalled.Replies.Single()).CarrierCode, Is.EqualTo("CancelOrder:recall"));
        Assert.That((await records.GetAsync("boxberry", "A-4001", CancellationToken.None))!.DueAt, Is.Null, "a cancelled parcel is not polled");

        // A redelivered cancellation sees the parcel cancelled and does not call CancelOrder again.
        var again = await DeliverAsync(endpoint, Cancel("A-4001"));
        Assert.That(Shipments.StatusOf(again.Replies.Single()).State, Is.EqualTo(ShipmentState.Cancelled));
        Assert.That(await CallsAsync("CancelOrder"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Statuses_are_polled_at_most_hourly_per_parcel_until_handed_over()
    {
        await DeliverAsync(Outbound(), Create("A-5001"));
        var inbound = new BoxberryInboundEndpoint("boxberry", Options(), services);
        var sink = new InboxSink();
        boxberry.Advance("A-5001");

        Assert.That((await inbound.PollAsync(sink, null, CancellationToken.None)).Accepted, Is.Zero, "not due within the hour");
        Assert.That(await CallsAsync("ListStatuses"), Has.Count.EqualTo(1), "only the create's own look-up");

        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.That((await inbound.PollAsync(sink, null, CancellationToken.None)).Accepted, Is.EqualTo(1));
        Assert.That(Shipments.StatusOf(sink.Accepted.Single()).State, Is.EqualTo(ShipmentState.Accepted));
        Assert.That(sink.Accepted.Single().MessageId, Is.EqualTo("boxberry:A-5001:Принято к доставке"));

        while (boxberry.Advance("A-5001") is not null)
        {
        }
        clock.Advance(TimeSpan.FromMinutes(61));
        await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That(Shipments.StatusOf(sink.Accepted.Last()).State, Is.EqualTo(ShipmentState.Delivered));
        Assert.That(sink.Accepted.Count(), Is.EqualTo(BoxberryEmulator.Timeline.Length - 1));

        var reads = (await CallsAsync("ListStatuses")).Count;
        clock.Advance(TimeSpan.FromHours(2));
        await inbound.PollAsync(sink, null, CancellationToken.None);
        Assert.That(await CallsAsync("ListStatuses"), Has.Count.EqualTo(reads), "a delivered parcel is not polled again");
    }

    [Test]
    public async Task Points_are_cached_until_the_ttl_passes()
    {
        var client = Outbound().Client;
        var first = await client.ListPointsAsync("68", CancellationToken.None);
        await client.ListPointsAsync("68", CancellationToken.None);
        Assert.That(first.Select(p => p.Code), Is.EquivalentTo(new[] { "99451", "77011" }));
        Assert.That(await CallsAsync("ListPoints"), Has.Count.EqualTo(1));

        clock.Advance(TimeSpan.FromHours(25));
        await client.ListPointsAsync("68", CancellationToken.None);
        Assert.That(await CallsAsync("ListPoints"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Delivery_costs_and_the_label_come_back_parsed()
    {
        var client = Outbound().Client;
        var cost = await client.DeliveryCostsAsync(new BoxberryCostQuery(1200, Target: "99451"), CancellationToken.None);
        Assert.That(cost.Price, Is.EqualTo(270m)); // the sandbox's price: 150 + 60 per started kilogram
        Assert.That(cost.DeliveryPeriod, Is.EqualTo(2));

        await DeliverAsync(Outbound(), Create("A-6001"));
        Assert.That(await client.ParselCheckAsync(boxberry.Parcels.Single().Track, CancellationToken.None), Does.StartWith("https://api.boxberry.ru/parcel-files/"));
        var full = await client.ListStatusesFullAsync("A-6001", CancellationToken.None);
        Assert.That(full.Statuses!.Single().At, Is.Not.Null, "the dd.MM.yyyy HH:mm format parses");
    }
}
