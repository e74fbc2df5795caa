using System.IO.Abstractions;
using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Http;
using Router.Endpoints.Listener;
using Router.Endpoints.OneCHttp.Exchange;
using Router.Endpoints.OneCHttp.Sale;
using Router.Sandbox.OneC.Driver;

namespace Router.Endpoints.Tests.OneCHttp;

/// <summary>
/// An onec-http exchange endpoint on the router's real HTTP listener (Kestrel, loopback, a free port), files in a
/// temp folder, a sink that records and can hold hand-offs, and the sandbox's 1C driver pointed at it.
/// </summary>
internal sealed class ExchangeHarness : IAsyncDisposable
{
    public const string User = "exchange";
    public const string Password = "s3cret-pass";

    private readonly RouterHttpListener listener;

    private ExchangeHarness(string directory, ExchangeOptions options, ExchangeInboundEndpoint endpoint, SaleQueueOutboundEndpoint outbound, HoldingSink sink,
        RouterHttpListener listener, EndpointServices services)
    {
        Directory = directory;
        Options = options;
        Endpoint = endpoint;
        Outbound = outbound;
        Sink = sink;
        this.listener = listener;
        Services = services;
    }

    public string Directory { get; }
    public ExchangeOptions Options { get; }
    public ExchangeInboundEndpoint Endpoint { get; }
    public SaleQueueOutboundEndpoint Outbound { get; }
    public HoldingSink Sink { get; }
    public EndpointServices Services { get; }
    public Uri ExchangeUrl => new(listener.Address, Options.Path.TrimStart('/'));

    public static async Task<ExchangeHarness> StartAsync(Func<ExchangeOptions, ExchangeOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "onec-exchange-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var services = new EndpointServices
        {
            FileSystem = new FileSystem(),
            Http = new HttpClientProvider(),
            Clock = TimeProvider.System,
            Logger = Serilog.Core.Logger.None,
            BaseDirectory = directory,
        };
        var options = new ExchangeOptions
        {
            User = User,
            Password = Password,
            ExchangeDir = Path.Combine(directory, "exchange"),
            MaxFileSize = 16 * 1024 * 1024,
        };
        options = configure?.Invoke(options) ?? options;
        var endpoint = new ExchangeInboundEndpoint("onec", options, services);
        var outbound = new SaleQueueOutboundEndpoint("onec", options, services);
        var sink = new HoldingSink();
        var listener = await RouterHttpListener.StartAsync("http://127.0.0.1:0", [endpoint], sink, Serilog.Core.Logger.None, CancellationToken.None);
        return new ExchangeHarness(directory, options, endpoint, outbound, sink, listener, services);
    }

    public OneCExchangeDriver Driver(string user = User, string password = Password) =>
        new(ExchangeUrl, user, password) { PollPause = TimeSpan.FromMilliseconds(10) };

    /// <summary>A driver already past checkauth and init, as 1C is before it uploads.</summary>
    public async Task<OneCExchangeDriver> LoggedInAsync(string type = "catalog")
    {
        var driver = Driver();
        Assert.That((await driver.CheckAuthAsync(type)).IsSuccess, Is.True);
        await driver.InitAsync(type);
        return driver;
    }

    /// <summary>Queues orders for 1C's sale query the way a route's delivery leg does.</summary>
    public async Task DeliverAsync(string messageId, string commerceMl)
    {
        var envelope = new Envelope
        {
            MessageId = messageId,
            Type = MessageTypes.OrderCreated,
            Source = "test",
            OccurredAt = DateTimeOffset.UtcNow,
            Payload = RouterJson.ToElement(new { fileName = "orders.xml", encoding = "windows-1251", text = commerceMl }),
        };
        var context = new DeliveryContext { RouteId = "orders-to-1c", EndpointId = "onec", IdempotencyKey = MessageIds.IdempotencyKey(messageId, "orders-to-1c/onec") };
        await Outbound.DeliverAsync(Outbound.Plan(envelope, context), context, CancellationToken.None);
    }

    public IEnumerable<string> FailedFiles() =>
        System.IO.Directory.Exists(Options.FailedDir) ? System.IO.Directory.GetFiles(Options.FailedDir).Select(p => Path.GetFileName(p)) : [];

    public async ValueTask DisposeAsync()
    {
        Sink.Release();
        await listener.DisposeAsync();
        ((IDisposable)Services.Http).Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A CommerceML orders file with one document per number, as commerceml-order writes them.</summary>
    public static string Orders(params (string Number, string Customer)[] orders)
    {
        var text = new StringBuilder("<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.05\" ДатаФормирования=\"2024-05-06T10:30:00\">");
        foreach (var (number, customer) in orders)
        {
            text.Append($"<Документ><Ид>{number}</Ид><Номер>{number}</Номер><Дата>2024-05-06</Дата><ХозОперация>Заказ товара</ХозОперация>")
                .Append($"<Роль>Продавец</Роль><Валюта>руб</Валюта><Курс>1</Курс><Сумма>1500.00</Сумма>")
                .Append($"<Контрагенты><Контрагент><Ид>c-{number}</Ид><Наименование>{customer}</Наименование><Роль>Покупатель</Роль></Контрагент></Контрагенты></Документ>");
        }
        return text.Append("</КоммерческаяИнформация>\n").ToString();
    }
}

/// <summary>The router's side of hand-offs: records them, and holds each one while <see cref="Hold"/> is set.</summary>
internal sealed class HoldingSink : IInboundSink
{
    private readonly object gate = new();
    private readonly List<InboundMessage> messages = [];
    private readonly List<(string Origin, string MessageId, string Error)> rejections = [];
    private TaskCompletionSource? hold;

    public Func<InboundMessage, HandOffResult> Answer { get; set; } = _ => new HandOffResult(HandOffStatus.Accepted);

    public IReadOnlyList<InboundMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return messages.ToList();
            }
        }
    }

    public IReadOnlyList<(string Origin, string MessageId, string Error)> Rejections
    {
        get
        {
            lock (gate)
            {
                return rejections.ToList();
            }
        }
    }

    /// <summary>From now on hand-offs wait until <see cref="Release"/>.</summary>
    public void Hold() => hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => hold?.TrySetResult();

    public async Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
    {
        if (hold is { } waiting)
        {
            await waiting.Task.WaitAsync(cancellationToken);
        }
        lock (gate)
        {
            messages.AddRange(batch);
        }
        return batch.Select(Answer).ToList();
    }

    public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            rejections.Add((origin, messageId, error));
        }
        return Task.CompletedTask;
    }

    public static string TextOf(InboundMessage message) => message.Payload.GetProperty("text").GetString()!;

    public static string FileNameOf(InboundMessage message) => message.Payload.GetProperty("fileName").GetString()!;
}
