using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Sandbox.Client;
using Router.Sandbox.Faults;
using Router.Sandbox.Hosting;
using Router.Sandbox.Platform;
using Router.Endpoints.Tests.Support;
using Router.Sandbox.RequestLog;

namespace Router.Endpoints.Tests.Sandbox;

/// <summary>The sandbox itself: the platform emulator's contract, fault injection, the request log and the control API.</summary>
public sealed class SandboxTests
{
    private const string Platform = PlatformEmulator.EmulatorName;

    private RunningSandbox sandbox = null!;
    private SandboxClient control = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        sandbox = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        control = new SandboxClient(sandbox.BaseAddress);
        http = new HttpClient { BaseAddress = sandbox.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        http.Dispose();
        control.Dispose();
        await sandbox.DisposeAsync();
    }

    [SetUp]
    public Task Reset() => control.ResetAsync();

    [Test]
    public async Task The_sandbox_listens_on_loopback_and_lists_its_emulators()
    {
        Assert.That(sandbox.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(sandbox.BaseAddress.Port, Is.Not.Zero);
        Assert.That(await control.EmulatorsAsync(), Is.EqualTo(new[] { Platform, "onec", "yookassa", "cdek", "boxberry", "smsru", "smsc" }));
    }

    [TestCase("http://0.0.0.0:0")]
    [TestCase("http://192.168.1.10:0")]
    [TestCase("http://example.com:0")]
    [TestCase("https://127.0.0.1:0")]
    public void Anything_but_plain_http_on_loopback_is_refused(string url)
    {
        Assert.That(async () => await SandboxHost.StartAsync(new SandboxOptions { Url = url }, CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public async Task An_order_is_created_with_201_and_kept()
    {
        using var response = await PostAsync("platform/orders", """{ "number": "1001", "customer": { "email": "a@b.ru" } }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await ReadJsonAsync(response);
        Assert.That(body.GetProperty("number").GetString(), Is.EqualTo("1001"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/platform/orders/1001"));
        using var stored = await http.GetAsync("platform/orders/1001");
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("""{ "customer": { "email": "a@b.ru" } }""", "number")]
    [TestCase("""{ "number": 1001, "customer": { "email": "a@b.ru" } }""", "number")]
    [TestCase("""{ "number": "1001" }""", "customer")]
    [TestCase("""{ "number": "1001", "customer": { "phone": "+7900" } }""", "customer.email")]
    [TestCase("""{ "number": "1001", "customer": { "email": "nobody" } }""", "customer.email")]
    [TestCase("""[1, 2]""", "$")]
    public async Task An_invalid_order_is_422_naming_the_field(string order, string field)
    {
        using var response = await PostAsync("platform/orders", order);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var body = await ReadJsonAsync(response);
        Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("validation_failed"));
        Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field));
    }

    [Test]
    public async Task Malformed_json_is_400()
    {
        using var response = await PostAsync("platform/orders", "{ not json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Products_are_upserted_and_checked_item_by_item()
    {
        using var good = await PostAsync("platform/catalog/products", """[{ "id": "p1", "name": "Чайник" }, { "id": "p2", "name": "Кружка" }]""");
        using var bad = await PostAsync("platform/catalog/products", """[{ "id": "p3", "name": "Ложка" }, { "id": "p4" }]""");

        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(good)).GetProperty("upserted").GetInt32(), Is.EqualTo(2));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await ReadJsonAsync(bad)).GetProperty("field").GetString(), Is.EqualTo("[1].name"));
    }

    [Test]
    public async Task Anything_else_under_the_platform_is_accepted()
    {
        using var response = await PostAsync("platform/webhooks/anything", """{ "x": 1 }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task A_repeated_key_with_the_same_body_gets_the_stored_answer_and_is_flagged()
    {
        const string order = """{ "number": "1001", "customer": { "email": "a@b.ru" } }""";
        using var first = await PostAsync("platform/orders", order, key: "key-1");
        using var second = await PostAsync("platform/orders", order, key: "key-1");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        var log = await control.RequestsAsync(new RequestLogQuery { IdempotencyKey = "key-1" });
        Assert.That(log.Select(e => e.Repeat), Is.EqualTo(new[] { false, true }));
        Assert.That(await control.RequestsAsync(new RequestLogQuery { Repeat = true }), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_repeated_key_with_another_body_is_409()
    {
        using var first = await PostAsync("platform/orders", """{ "number": "1001", "customer": { "email": "a@b.ru" } }""", key: "key-1");
        using var second = await PostAsync("platform/orders", """{ "number": "1002", "customer": { "email": "a@b.ru" } }""", key: "key-1");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await ReadJsonAsync(second)).GetProperty("error").GetString(), Is.EqualTo("idempotency_key_reused"));
    }

    [Test]
    public async Task An_injected_server_error_is_not_remembered_for_the_key()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(503));
        const string order = """{ "number": "1001", "customer": { "email": "a@b.ru" } }""";

        using var failed = await PostAsync("platform/orders", order, key: "key-1");
        using var retried = await PostAsync("platform/orders", order, key: "key-1");

        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var log = await control.RequestsAsync(new RequestLogQuery { IdempotencyKey = "key-1" });
        Assert.That(log.Select(e => (e.Status, e.Fault, e.Repeat)), Is.EqualTo(new[] { ((int?)503, (string?)"status-503", false), (201, null, false) }));
    }

    [Test]
    public async Task Faults_are_used_up_in_the_order_they_were_added()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(500));
        await control.AddFaultAsync(Platform, FaultSpec.TooManyRequests("3", count: 2));

        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 4; i++)
        {
            using var response = await PostAsync("platform/anything", "{}");
            statuses.Add(response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.ToString();
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.InternalServerError, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted }));
        Assert.That(retryAfter, Is.EqualTo("3"));
        Assert.That((await control.FaultsAsync(Platform)).Pending, Is.Empty);
    }

    [Test]
    public async Task A_fault_limited_to_a_path_leaves_other_paths_alone()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(500) with { Path = "/platform/catalog" });

        using var order = await PostAsync("platform/orders", """{ "number": "1001", "customer": { "email": "a@b.ru" } }""");
        using var products = await PostAsync("platform/catalog/products", """{ "id": "p1", "name": "Чайник" }""");

        Assert.That(order.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(products.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task Clearing_faults_switches_off_latency_and_down_too()
    {
        await control.AddFaultAsync(Platform, FaultSpec.Answer(500));
        await control.SetLatencyAsync(Platform, TimeSpan.FromSeconds(3));
        await control.SetDownAsync(Platform, true);

        var cleared = await control.ClearFaultsAsync(Platform);

        Assert.That(cleared, Is.EqualTo(new EmulatorFaultState(Platform, [], 0, false)).Using<EmulatorFaultState>((a, b) =>
            a.Emulator == b.Emulator && a.Pending.Count == b.Pending.Count && a.LatencyMilliseconds == b.LatencyMilliseconds && a.Down == b.Down));
        using var response = await PostAsync("platform/anything", "{}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Latency_delays_each_answer_by_the_set_amount()
    {
        var clock = new PauseHookClock();
        await using var own = await SandboxHost.StartAsync(new SandboxOptions { Clock = clock }, CancellationToken.None);
        using var ownControl = new SandboxClient(own.BaseAddress);
        using var client = new HttpClient { BaseAddress = own.BaseAddress };
        await ownControl.SetLatencyAsync(Platform, TimeSpan.FromMilliseconds(1500));

        using var response = await client.PostAsync("platform/anything", new StringContent("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(clock.Pauses, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(1500) }));
        Assert.That((await ownControl.FaultsAsync(Platform)).LatencyMilliseconds, Is.EqualTo(1500));
    }

    [Test]
    public async Task The_request_log_keeps_method_path_headers_body_and_outcome_and_filters_by_sequence()
    {
        using var first = await PostAsync("platform/anything", """{ "n": 1 }""", key: "k1");
        var firstEntry = (await control.RequestsAsync()).Single();
        using var second = await PostAsync("platform/other", """{ "n": 2 }""", key: "k2");

        var since = await control.RequestsAsync(new RequestLogQuery { After = firstEntry.Sequence });

        Assert.That(firstEntry.Method, Is.EqualTo("POST"));
        Assert.That(firstEntry.Path, Is.EqualTo("/platform/anything"));
        Assert.That(firstEntry.Body, Is.EqualTo("""{ "n": 1 }"""));
        Assert.That(firstEntry.IdempotencyKey, Is.EqualTo("k1"));
        Assert.That(firstEntry.Status, Is.EqualTo(202));
        Assert.That(firstEntry.Outcome, Is.EqualTo(RequestOutcome.Answered));
        Assert.That(firstEntry.Emulator, Is.EqualTo(Platform));
        Assert.That(since.Select(e => e.Path), Is.EqualTo(new[] { "/platform/other" }));
    }

    [Test]
    public async Task Control_calls_are_not_logged_and_unknown_emulators_are_404()
    {
        await control.FaultsAsync(Platform);

        Assert.That(async () => await control.AddFaultAsync("nosuch", FaultSpec.Answer(500)), Throws.InvalidOperationException.With.Message.Contains("404"));
        Assert.That(await control.RequestsAsync(), Is.Empty);
    }

    [Test]
    public void An_invalid_fault_is_refused()
    {
        Assert.That(async () => await control.AddFaultAsync(Platform, FaultSpec.Answer(700)), Throws.InvalidOperationException.With.Message.Contains("status"));
        Assert.That(async () => await control.AddFaultAsync(Platform, FaultSpec.Answer(500, count: 0)), Throws.InvalidOperationException.With.Message.Contains("count"));
    }

    [Test]
    public async Task Reset_forgets_faults_requests_and_what_the_emulators_were_sent()
    {
        using var order = await PostAsync("platform/orders", """{ "number": "1001", "customer": { "email": "a@b.ru" } }""", key: "key-1");
        await control.AddFaultAsync(Platform, FaultSpec.Answer(500));

        await control.ResetAsync();

        Assert.That(await control.RequestsAsync(), Is.Empty);
        Assert.That((await control.FaultsAsync(Platform)).Pending, Is.Empty);
        using var stored = await http.GetAsync("platform/orders/1001");
        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var again = await PostAsync("platform/orders", """{ "number": "1002", "customer": { "email": "a@b.ru" } }""", key: "key-1");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the key was forgotten too");
    }

    [Test]
    public async Task Stopping_the_sandbox_cuts_off_a_hung_request_without_a_fake_answer()
    {
        await using var own = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        using var ownControl = new SandboxClient(own.BaseAddress);
        using var client = new HttpClient { BaseAddress = own.BaseAddress };
        await ownControl.AddFaultAsync(Platform, FaultSpec.Hang());
        var hanging = client.PostAsync("platform/orders", new StringContent("{}"));
        await WaitUntilLoggedAsync(ownControl);

        await own.DisposeAsync();

        Assert.That(async () => await hanging, Throws.InstanceOf<HttpRequestException>());
    }

    private static async Task WaitUntilLoggedAsync(SandboxClient client)
    {
        // Bounded by count, not by time: the request reaches the log as soon as its body is read.
        for (var i = 0; i < 500 && (await client.RequestsAsync()).Count == 0; i++)
        {
            await Task.Yield();
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add(PlatformEmulator.IdempotencyKeyHeader, key);
        }
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
