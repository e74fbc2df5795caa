using System.IO.Abstractions.TestingHelpers;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Endpoints.Http;
using Router.Endpoints.Tests.Support;
using Router.Endpoints.YooKassa;
using Router.Sandbox.Client;
using Router.Sandbox.Hosting;
using Router.Sandbox.YooKassa;

namespace Router.Endpoints.Tests.YooKassa;

/// <summary>The sandbox's YooKassa, and endpoints of kind yookassa pointed at it with a captured log and shared partner records.</summary>
internal sealed class YooKassaHarness : IAsyncDisposable
{
    private YooKassaHarness(YooKassaEmulator emulator, RunningSandbox sandbox, ShiftedClock clock)
    {
        Emulator = emulator;
        Sandbox = sandbox;
        Clock = clock;
        Control = new SandboxClient(sandbox.BaseAddress);
        Http = new HttpClient { BaseAddress = sandbox.BaseAddress };
    }

    public YooKassaEmulator Emulator { get; }
    public RunningSandbox Sandbox { get; }
    public ShiftedClock Clock { get; }
    public SandboxClient Control { get; }

    /// <summary>For the control API under /_sandbox/yookassa and raw API calls.</summary>
    public HttpClient Http { get; }

    public CapturedLog Log { get; private set; } = new();
    public IPartnerRecordStore Records { get; private set; } = new InMemoryPartnerRecordStore();
    public HttpClientProvider Clients { get; private set; } = new();

    public string ApiBase => Sandbox.UrlOf("yookassa/v3").AbsoluteUri;

    public static async Task<YooKassaHarness> StartAsync()
    {
        var clock = new ShiftedClock();
        var emulator = new YooKassaEmulator();
        var sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [emulator], Clock = clock }, CancellationToken.None);
        return new YooKassaHarness(emulator, sandbox, clock);
    }

    /// <summary>Between tests: a fresh emulator state, log, records and HTTP clients.</summary>
    public async Task ResetAsync()
    {
        await Control.ResetAsync();
        Clock.Offset = TimeSpan.Zero;
        Log = new CapturedLog();
        Records = new InMemoryPartnerRecordStore();
        Clients.Dispose();
        Clients = new HttpClientProvider();
    }

    public EndpointServices Services() => new()
    {
        FileSystem = new MockFileSystem(),
        Http = Clients,
        Clock = TimeProvider.System,
        Logger = Log.Logger,
        BaseDirectory = TestServices.BaseDirectory,
        Records = Records,
    };

    public YooKassaOptions Options(string secretKey = YooKassaEmulator.DefaultSecretKey, int acceptedRetries = 3) =>
        YooKassaOptions.Read(Yaml.Map(
            ("baseUrl", ApiBase),
            ("shopId", YooKassaEmulator.DefaultShopId),
            ("secretKey", new Secret(secretKey)),
            ("returnUrl", "https://shop.example/thanks"),
            ("acceptedRetries", acceptedRetries))) with { MaxAcceptedWait = TimeSpan.FromSeconds(30) };

    public YooKassaOutboundEndpoint Outbound(YooKassaOptions? options = null) => new("yookassa", options ?? Options(), Services());

    public async Task PutSettingsAsync(YooKassaSettings settings)
    {
        using var response = await Http.PutAsync("_sandbox/yookassa/settings", JsonContent(settings));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    public async Task PayAsync(string paymentId)
    {
        using var response = await Http.PostAsync($"_sandbox/yookassa/payments/{paymentId}/pay", null);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    public static System.Net.Http.StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value, Router.Sandbox.SandboxJson.Options), System.Text.Encoding.UTF8, "application/json");

    public static DeliveryContext Context(string messageId, string leg = "orders/yookassa") => new()
    {
        RouteId = leg.Split('/')[0],
        EndpointId = "yookassa",
        IdempotencyKey = MessageIds.IdempotencyKey(messageId, leg),
    };

    public static Envelope Command<T>(string type, T payload, string messageId) => new()
    {
        MessageId = messageId,
        Type = type,
        Source = "saga",
        CorrelationId = "corr-" + messageId,
        OccurredAt = DateTimeOffset.Parse("2026-11-25T10:00:00Z"),
        Payload = RouterJson.ToElement(payload),
    };

    public static PaymentRequest PaymentRequest(string order = "1001", decimal amount = 1500.50m, bool capture = true, bool withReceipt = true) => new()
    {
        OrderNumber = order,
        Amount = Money.Rub(amount),
        Description = $"Заказ №{order}",
        Capture = capture,
        Customer = new PaymentCustomer("Иван Петров", "ivan@example.ru", "79211234567"),
        Items = withReceipt ? [new ReceiptItem("Вентилятор", 2, Money.Rub(amount / 2), 1)] : [],
    };

    public static async Task<DeliveryReceipt> DeliverAsync(IOutboundEndpoint endpoint, Envelope envelope, DeliveryContext context) =>
        await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

    public static T PayloadOf<T>(InboundMessage message) => message.Payload.Deserialize<T>(RouterJson.Options)!;

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        Http.Dispose();
        Control.Dispose();
        await Sandbox.DisposeAsync();
    }
}
