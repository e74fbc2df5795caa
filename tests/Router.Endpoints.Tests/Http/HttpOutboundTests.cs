using System.IO.Abstractions.TestingHelpers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Http;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.Platform;
using Router.Sandbox.RequestLog;

namespace Router.Endpoints.Tests.Http;

/// <summary>The http endpoint against the real sandbox on loopback.</summary>
public sealed class HttpOutboundTests
{
    private const string Platform = PlatformEmulator.EmulatorName;

    private PlatformEmulator platform = null!;
    private RunningSandbox sandbox = null!;
    private SandboxClient control = null!;
    private HttpClientProvider clients = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        platform = new PlatformEmulator();
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [platform, new EchoEmulator()] }, CancellationToken.None);
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

    [Test]
    public async Task A_2xx_answer_is_a_receipt_and_the_partner_gets_the_payload_with_identifying_headers()
    {
        var envelope = Order("1001");
        var endpoint = Endpoint();
        var context = Context(envelope);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        Assert.That(receipt.Detail, Is.EqualTo("HTTP 201 Created"));
        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = Platform })).Single();
        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.Path, Is.EqualTo("/platform/orders"));
        Assert.That(request.IdempotencyKey, Is.EqualTo(context.IdempotencyKey));
        Assert.That(request.Header("X-Message-Id"), Is.EqualTo(envelope.MessageId));
        Assert.That(request.Header("X-Correlation-Id"), Is.EqualTo("checkout-77"));
        Assert.That(request.Header("X-Message-Type"), Is.EqualTo("order.created"));
        Assert.That(request.Header("Content-Type"), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(JsonDocument.Parse(request.Body).RootElement.GetProperty("number").GetString(), Is.EqualTo("1001"));
        Assert.That(platform.Store.FindOrder("1001"), Is.Not.Null);
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(408)]
    public async Task Server_errors_and_request_timeouts_are_transient(int status)
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(status));

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"));

        Assert.That(failure.Message, Does.Contain($"answered {status}"));
        Assert.That(failure.RetryAfter, Is.Null);
    }

    [Test]
    public async Task A_503_with_Retry_After_seconds_carries_the_delay()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(503, retryAfter: "7"));

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"));

        Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public async Task A_429_with_an_http_date_carries_the_delay_from_now()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await control.AddFaultAsync(Platform, FaultSpec.TooManyRequests(now.AddMinutes(2).ToString("r")));

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"), clock: new FixedClock(now));

        Assert.That(failure.Message, Does.Contain("answered 429"));
        Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(2)));
    }

    [Test]
    public async Task A_422_is_permanent_and_says_what_the_partner_objected_to()
    {
        var failure = await DeliverExpectingAsync<PermanentFailureException>(Order("1001", email: null));

        Assert.That(failure.Code, Is.EqualTo("http-422"));
        Assert.That(failure.Message, Does.StartWith($"POST {sandbox.BaseAddress}platform/orders answered 422"));
        Assert.That(failure.Message, Does.Contain("customer.email"));
    }

    [Test]
    public async Task A_redirect_is_permanent_and_not_followed()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(302));

        var failure = await DeliverExpectingAsync<PermanentFailureException>(Order("1001"));

        Assert.That(failure.Code, Is.EqualTo("http-302"));
        Assert.That(await control.RequestsAsync(new RequestLogQuery { Emulator = Platform }), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_dropped_connection_is_transient()
    {
        // More than one: the handler may retry once on a fresh connection by itself.
        await control.AddFaultAsync(Platform, FaultSpec.ResetConnection(count: 5));

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"));

        Assert.That(failure.InnerException, Is.InstanceOf<HttpRequestException>());
        var seen = await control.RequestsAsync(new RequestLogQuery { Emulator = Platform });
        Assert.That(seen.Select(r => r.Outcome), Has.All.EqualTo(RequestOutcome.ConnectionReset));
    }

    [Test]
    public async Task A_partner_that_never_answers_is_transient_once_the_caller_cancels()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Hang());
        using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"), cancellationToken: attempt.Token);

        Assert.That(failure.Message, Does.Contain("cancelled (timeout)"));
        Assert.That(failure.InnerException, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_partner_that_is_down_is_transient()
    {
        await control.SetDownAsync(Platform, true);

        await DeliverExpectingAsync<TransientFailureException>(Order("1001"));
    }

    [Test]
    public async Task A_refused_connection_is_transient()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"), url: $"http://127.0.0.1:{port}/platform/orders");

        Assert.That(failure.Message, Does.Contain("ConnectionError"));
    }

    [Test]
    public async Task A_retry_with_the_same_key_gets_the_first_answer_and_is_flagged_as_a_repeat()
    {
        var envelope = Order("1001");
        var endpoint = Endpoint();
        var context = Context(envelope);
        var plan = endpoint.Plan(envelope, context);

        var first = await endpoint.DeliverAsync(plan, context, CancellationToken.None);
        var again = await endpoint.DeliverAsync(endpoint.Plan(envelope, context with { Attempt = 2 }), context with { Attempt = 2 }, CancellationToken.None);

        Assert.That(first.Detail, Is.EqualTo("HTTP 201 Created"));
        Assert.That(again.Detail, Is.EqualTo("HTTP 201 Created"));
        var seen = await control.RequestsAsync(new RequestLogQuery { IdempotencyKey = context.IdempotencyKey });
        Assert.That(seen.Select(r => r.Repeat), Is.EqualTo(new[] { false, true }));
        Assert.That(platform.Store.Orders, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_permanent_conflict()
    {
        var endpoint = Endpoint();
        var original = Order("1001");
        var context = Context(original);
        await endpoint.DeliverAsync(endpoint.Plan(original, context), context, CancellationToken.None);
        var edited = Order("1001", email: "other@example.ru");

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(edited, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("http-409"));
    }

    [Test]
    public async Task Secret_headers_are_listed_in_the_plan_sent_to_the_partner_and_kept_out_of_errors()
    {
        var endpoint = Endpoint(
            url: null,
            ("auth", Yaml.Map(("bearer", new Secret("s3cr3t-token")))),
            ("headers", Yaml.Map(("X-Shop", new Secret("shop-secret-42")), ("X-Api-Key", "plain-but-a-key"), ("X-Channel", "router"))));
        var envelope = Order("1001", email: null);
        var context = Context(envelope);

        var plan = endpoint.Plan(envelope, context);
        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(plan, context, CancellationToken.None));

        Assert.That(plan.SecretHeaders, Is.EquivalentTo(new[] { "Authorization", "X-Shop", "X-Api-Key" }));
        Assert.That(plan.Headers["X-Channel"], Is.EqualTo("router"));
        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = Platform })).Single();
        Assert.That(request.Header("Authorization"), Is.EqualTo("Bearer s3cr3t-token"));
        Assert.That(request.Header("X-Shop"), Is.EqualTo("shop-secret-42"));
        Assert.That(failure!.ToString(), Does.Not.Contain("s3cr3t-token").And.Not.Contain("shop-secret-42").And.Not.Contain("plain-but-a-key"));
    }

    [Test]
    public void Secrets_a_partner_quotes_back_are_scrubbed_from_the_error()
    {
        var endpoint = Endpoint(
            url: $"{sandbox.BaseAddress}echo",
            ("auth", Yaml.Map(("bearer", new Secret("s3cr3t-token")))),
            ("headers", Yaml.Map(("X-Shop", new Secret("shop-secret-42")))));
        var envelope = Order("1001");

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("http-400"));
        Assert.That(failure.Message, Does.Contain("bad request").And.Contain("***"));
        Assert.That(failure.Message, Does.Not.Contain("s3cr3t-token").And.Not.Contain("shop-secret-42"));
    }

    [Test]
    public async Task Credentials_in_the_url_never_reach_error_messages()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(500));
        var url = $"http://robot:pa55word@127.0.0.1:{sandbox.BaseAddress.Port}/platform/orders?token=abc123&shop=7";

        var failure = await DeliverExpectingAsync<TransientFailureException>(Order("1001"), url: url);

        Assert.That(failure.Message, Does.Contain($"http://127.0.0.1:{sandbox.BaseAddress.Port}/platform/orders?token=***&shop=7"));
        Assert.That(failure.Message, Does.Not.Contain("pa55word").And.Not.Contain("abc123"));
    }

    [Test]
    public async Task Basic_authentication_is_sent_as_an_authorization_header()
    {
        var endpoint = Endpoint(url: null, ("auth", Yaml.Map(("basic", Yaml.Map(("user", "shop"), ("password", new Secret("pw")))))));
        var envelope = Order("1001");

        await endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None);

        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = Platform })).Single();
        Assert.That(request.Header("Authorization"), Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("shop:pw"))));
    }

    [Test]
    public async Task Method_body_mode_and_idempotency_header_follow_the_options()
    {
        var endpoint = Endpoint(
            url: $"{sandbox.BaseAddress}platform/customers/1001",
            ("method", "PUT"),
            ("body", "envelope"),
            ("idempotencyHeader", "X-Request-Key"));
        var envelope = Order("1001");
        var context = Context(envelope);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        Assert.That(receipt.Detail, Is.EqualTo("HTTP 202 Accepted"));
        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = Platform })).Single();
        Assert.That(request.Method, Is.EqualTo("PUT"));
        Assert.That(request.Header("X-Request-Key"), Is.EqualTo(context.IdempotencyKey));
        Assert.That(request.Header("Idempotency-Key"), Is.Null);
        Assert.That(JsonDocument.Parse(request.Body).RootElement.GetProperty("messageId").GetString(), Is.EqualTo(envelope.MessageId));
    }

    [Test]
    public async Task Ids_with_cyrillic_letters_travel_percent_encoded()
    {
        var envelope = Order("1001") with { MessageId = "file:Заказ.json:ab12" };

        await Endpoint().DeliverAsync(Endpoint().Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None);

        var request = (await control.RequestsAsync(new RequestLogQuery { Emulator = Platform })).Single();
        Assert.That(Uri.UnescapeDataString(request.Header("X-Message-Id")!), Is.EqualTo("file:Заказ.json:ab12"));
    }

    private async Task<TException> DeliverExpectingAsync<TException>(
        Envelope envelope, string? url = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
        where TException : Exception
    {
        var endpoint = Endpoint(url, clock);
        var context = Context(envelope);
        var plan = endpoint.Plan(envelope, context);
        try
        {
            await endpoint.DeliverAsync(plan, context, cancellationToken);
        }
        catch (TException expected)
        {
            return expected;
        }
        Assert.Fail($"expected {typeof(TException).Name}");
        throw new InvalidOperationException("unreachable");
    }

    private static Envelope Order(string number, string? email = "buyer@example.ru")
    {
        var customer = email is null ? """{ "name": "Иван" }""" : $$"""{ "name": "Иван", "email": "{{email}}" }""";
        return new Envelope
        {
            MessageId = $"file:order-{number}.json:0123456789abcdef",
            Type = MessageTypes.OrderCreated,
            Source = "inbox",
            EntityKey = $"order:{number}",
            CorrelationId = "checkout-77",
            Payload = RouterJson.ParseElement($$"""{ "number": "{{number}}", "customer": {{customer}} }"""),
        };
    }

    private static DeliveryContext Context(Envelope envelope) => new()
    {
        RouteId = "orders",
        EndpointId = "platform",
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "orders/platform"),
    };

    private IOutboundEndpoint Endpoint(string? url = null, params (string Key, object? Value)[] options) => Endpoint(url, null, options);

    private IOutboundEndpoint Endpoint(string? url, TimeProvider? clock, params (string Key, object? Value)[] options)
    {
        var definition = new EndpointDefinition(
            "platform",
            "http",
            Yaml.Map([("kind", "http"), ("url", url ?? $"{sandbox.BaseAddress}platform/orders"), .. options]));
        return new HttpEndpointKind().CreateOutbound(definition, TestServices.For(new MockFileSystem(), clock, clients));
    }
}
