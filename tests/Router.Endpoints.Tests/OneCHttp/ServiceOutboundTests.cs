using System.IO.Abstractions.TestingHelpers;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Http;
using Router.Endpoints.OneCHttp.OData;
using Router.Endpoints.OneCHttp.Services;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.OneC;
using Router.Sandbox.RequestLog;

namespace Router.Endpoints.Tests.OneCHttp;

/// <summary>onec-http in service mode against the sandbox's 1C: HTTP service deliveries, 1C's error classes, OData look-ups.</summary>
public sealed class ServiceOutboundTests
{
    private OneCEmulator onec = null!;
    private RunningSandbox sandbox = null!;
    private SandboxClient control = null!;
    private HttpClientProvider clients = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        onec = new OneCEmulator();
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [onec] }, CancellationToken.None);
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
    }

    [TearDown]
    public void TearDown() => clients.Dispose();

    private ServiceOutboundEndpoint Endpoint(string password = OneCEmulator.DefaultPassword) =>
        new("onec-hs", ServiceOptions.Read(Yaml.Map(
            ("mode", "service"),
            ("baseUrl", sandbox.UrlOf("onec").AbsoluteUri),
            ("user", OneCEmulator.DefaultUser),
            ("password", new Secret(password)))), TestServices.For(new MockFileSystem(), http: clients));

    private static Envelope Message(string type, string json, string id = "m-1") => new()
    {
        MessageId = id,
        Type = type,
        Source = "test",
        OccurredAt = DateTimeOffset.Parse("2024-05-06T10:30:00+03:00"),
        Payload = JsonDocument.Parse(json).RootElement.Clone(),
    };

    private static Envelope Order(string number, string extra = "", string id = "m-1") =>
        Message(MessageTypes.OrderCreated, $$"""
            { "number": "{{number}}", "createdAt": "2024-05-06T10:30:00+03:00", "customer": { "id": "c-17", "name": "ООО Ромашка", "inn": "7701234567" },
              "lines": [ { "sku": "A-1", "name": "Вентилятор", "quantity": 1 } ], "totals": { "total": { "amount": 1500.50, "currency": "RUB" } }{{extra}} }
            """, id);

    private static DeliveryContext Context(Envelope envelope) => new()
    {
        RouteId = "orders-to-1c",
        EndpointId = "onec-hs",
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "orders-to-1c/onec-hs"),
    };

    private static async Task<DeliveryReceipt> DeliverAsync(ServiceOutboundEndpoint endpoint, Envelope envelope)
    {
        var context = Context(envelope);
        return await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);
    }

    [Test]
    public async Task An_order_is_posted_to_the_http_service_with_basic_auth_and_the_idempotency_key()
    {
        var envelope = Order("1001");

        var receipt = await DeliverAsync(Endpoint(), envelope);

        Assert.That(receipt.Detail, Is.EqualTo("HTTP 201 Created"));
        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = OneCEmulator.EmulatorName })).Single();
        Assert.That(request.Path, Is.EqualTo("/onec/hs/exchange/orders"));
        Assert.That(request.Header("Authorization"), Does.StartWith("Basic "));
        Assert.That(request.IdempotencyKey, Is.EqualTo(Context(envelope).IdempotencyKey));
        Assert.That(onec.Store.FindOrder("1001"), Is.Not.Null);
    }

    [Test]
    public async Task Customers_go_to_their_own_resource_and_other_types_are_refused_before_sending()
    {
        var endpoint = Endpoint();

        await DeliverAsync(endpoint, Message(MessageTypes.CustomerUpserted, """{ "id": "c-17", "companyName": "ООО Ромашка", "inn": "7701234567" }"""));
        var refused = Assert.Throws<PermanentFailureException>(() => endpoint.Plan(Message(MessageTypes.PaymentRequested, "{}"), Context(Order("1"))));

        Assert.That(onec.Store.FindCustomer("c-17"), Is.Not.Null);
        Assert.That(refused!.Code, Is.EqualTo("unsupported-type"));
    }

    [Test]
    public async Task A_redelivered_order_number_replaces_the_document_in_1C()
    {
        var endpoint = Endpoint();

        await DeliverAsync(endpoint, Order("1001", id: "m-1"));
        var second = await DeliverAsync(endpoint, Order("1001", """, "comment": "позвонить" """, id: "m-2"));

        Assert.That(second.Detail, Is.EqualTo("HTTP 200 OK"));
        Assert.That(onec.Store.Orders, Has.Count.EqualTo(1));
        Assert.That(onec.Store.FindOrder("1001")!.Version, Is.EqualTo(2));
    }

    [Test]
    public void A_validation_error_is_permanent_and_quotes_1C()
    {
        var envelope = Message(MessageTypes.OrderCreated, """{ "number": " ", "lines": [] }""");

        var error = Assert.ThrowsAsync<PermanentFailureException>(() => DeliverAsync(Endpoint(), envelope));

        Assert.That(error!.Code, Is.EqualTo(OneCErrorClassifier.ValidationCode));
        Assert.That(error.Message, Does.Contain("400").And.Contain("Номер"));
    }

    [Test]
    public async Task A_lock_conflict_answered_as_a_500_text_is_transient()
    {
        await control.AddFaultAsync(OneCEmulator.EmulatorName, OneCFaults.LockConflict());

        var error = Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(Endpoint(), Order("1001")));

        Assert.That(error!.Message, Does.Contain("Конфликт блокировок"));
        Assert.That(OneCErrorClassifier.Instance.Classify(500, OneCFaults.LockConflictText).Code, Is.EqualTo(OneCErrorClassifier.LockCode));
    }

    [Test]
    public async Task A_base_locked_for_maintenance_is_transient()
    {
        await control.AddFaultAsync(OneCEmulator.EmulatorName, OneCFaults.SessionsLocked());

        var error = Assert.ThrowsAsync<TransientFailureException>(() => DeliverAsync(Endpoint(), Order("1001")));

        Assert.That(error!.Message, Does.Contain("503"));
    }

    [TestCase(409, "Ошибка блокировки объекта. Объект уже заблокирован", FailureKind.Transient)]
    [TestCase(500, "database is locked", FailureKind.Transient)]
    [TestCase(500, "Ошибка при вызове метода контекста", FailureKind.Transient)]
    [TestCase(422, "{\"error\":\"validation_failed\"}", FailureKind.Permanent)]
    [TestCase(404, "not found", FailureKind.Permanent)]
    public void Classifies_1C_error_answers(int status, string body, FailureKind expected) =>
        Assert.That(OneCErrorClassifier.Instance.Classify(status, body).Kind, Is.EqualTo(expected));

    [Test]
    public void A_wrong_password_is_permanent_and_never_shown()
    {
        const string password = "wrong-Pa55word";

        var error = Assert.ThrowsAsync<PermanentFailureException>(() => DeliverAsync(Endpoint(password), Order("1001")));

        Assert.That(error!.Code, Is.EqualTo("http-401"));
        Assert.That(error.Message, Does.Not.Contain(password));
        var plan = Endpoint(password).Plan(Order("1"), Context(Order("1")));
        Assert.That(plan.SecretHeaders, Does.Contain("Authorization"));
    }

    [Test]
    public async Task OData_finds_an_order_by_number_and_a_customer_by_INN()
    {
        var endpoint = Endpoint();
        await DeliverAsync(endpoint, Message(MessageTypes.CustomerUpserted, """{ "id": "c-17", "companyName": "ООО Ромашка", "inn": "7701234567", "kpp": "770101001" }""", "c"));
        await DeliverAsync(endpoint, Order("1001"));

        var order = await endpoint.OData.FindOrderByNumberAsync("1001", CancellationToken.None);
        var customer = await endpoint.OData.FindCustomerByInnAsync("7701234567", CancellationToken.None);
        var missing = await endpoint.OData.FindOrderByNumberAsync("1' or Number eq '1001", CancellationToken.None);

        Assert.That(order, Is.Not.Null);
        Assert.That(order!.Number, Is.EqualTo("1001"));
        Assert.That(order.Amount, Is.EqualTo(1500.50m));
        Assert.That(order.RefKey, Is.EqualTo(onec.Store.FindOrder("1001")!.RefKey));
        Assert.That(customer, Is.Not.Null);
        Assert.That(customer!.Description, Is.EqualTo("ООО Ромашка"));
        Assert.That(customer.Kpp, Is.EqualTo("770101001"));
        Assert.That(missing, Is.Null, "a quote in the value stays inside the literal");
        var query = (await control.RequestsAsync(new RequestLogQuery { Emulator = OneCEmulator.EmulatorName })).Last();
        Assert.That(Uri.UnescapeDataString(query.Query!), Does.Contain("$format=json").And.Contain("Number eq '1'' or Number eq ''1001'"));
    }

    [Test]
    public async Task OData_errors_are_classified_and_quote_odata_error()
    {
        var client = Endpoint().OData;

        var unknown = Assert.ThrowsAsync<PermanentFailureException>(() => client.QueryAsync("Catalog_Нет", "Code eq '1'", CancellationToken.None));
        await control.AddFaultAsync(OneCEmulator.EmulatorName, OneCFaults.LockConflict());
        var locked = Assert.ThrowsAsync<TransientFailureException>(() => client.FindOrderByNumberAsync("1", CancellationToken.None));

        Assert.That(unknown!.Code, Is.EqualTo("http-404"));
        Assert.That(unknown.Message, Does.Contain("odata.error"));
        Assert.That(locked, Is.Not.Null);
        Assert.That(OneCODataClient.Literal("O'Brien"), Is.EqualTo("'O''Brien'"));
    }
}
