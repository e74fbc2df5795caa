using System.Text;
using RabbitMQ.Client;
using Router.Integration.Tests.Support;
using Router.Sandbox.Hosting;
using Router.Sandbox.Platform;
using Router.Sandbox.RequestLog;
using Router.Testing;

namespace Router.Integration.Tests.ScaleOut;

/// <summary>
/// Several real <c>router run</c> processes on <c>config/examples/production.yaml</c> itself: one fresh RabbitMQ vhost
/// (the router's queues and the platform's source queue), one fresh PostgreSQL schema, the sandbox's platform emulator
/// as the order API, a local folder as 1C's exchange folder (its poller runs under a lease, on one host).
/// </summary>
internal sealed class ScaleOutCluster : IAsyncDisposable
{
    public const string SourceQueue = "platform.orders.export";
    public const string SourceDeadLetterExchange = "platform.orders.dlx";
    public const string EventsExchange = "router.order-events";
    public const string EventsQueue = "test.order-events";

    private readonly List<RouterProcess> hosts = [];
    private readonly TemporaryDirectory directory = new();
    private readonly Dictionary<string, string> environment;

    private ScaleOutCluster(string vhost, Uri vhostUrl, PostgresTestSchema schema, RunningSandbox sandbox)
    {
        Vhost = vhost;
        VhostUrl = vhostUrl;
        Schema = schema;
        Sandbox = sandbox;
        var exchangeFolder = directory.Combine("onec");
        Directory.CreateDirectory(Path.Combine(exchangeFolder, "from-1c"));
        environment = new Dictionary<string, string>
        {
            ["ROUTER_AMQP"] = vhostUrl.ToString(),
            ["PLATFORM_AMQP"] = vhostUrl.ToString(),
            ["ROUTER_PG"] = schema.ConnectionString,
            ["PLATFORM_TOKEN"] = "test-token",
            ["ONEC_FTP_URL"] = new Uri(exchangeFolder).ToString(),
            ["ONEC_FTP_USER"] = "exchange",
            ["ONEC_FTP_PASSWORD"] = "unused-for-a-local-folder",
        };
    }

    public string Vhost { get; }
    public Uri VhostUrl { get; }
    public PostgresTestSchema Schema { get; }
    public RunningSandbox Sandbox { get; }
    public IReadOnlyList<RouterProcess> Hosts => hosts;

    /// <summary>production.yaml as shipped, with only the platform's URLs pointed at this test's sandbox.</summary>
    public string ConfigPath => directory.Combine("production.yaml");

    private void WriteConfig()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Config, "examples", "production.yaml"));
        var sandboxUrl = Sandbox.BaseAddress.ToString().TrimEnd('/');
        var yaml = shipped
            .Replace("http://127.0.0.1:5090", sandboxUrl, StringComparison.Ordinal)
            .Replace("../schemas/", Path.Combine(RepositoryPaths.Config, "schemas") + "/", StringComparison.Ordinal);
        Assert.That(yaml, Does.Contain(sandboxUrl + "/platform/orders").And.Contain(Path.Combine(RepositoryPaths.Config, "schemas")),
            "production.yaml changed its platform URL or schema path; update this test");
        File.WriteAllText(ConfigPath, yaml);
    }

    public static async Task<ScaleOutCluster> CreateAsync()
    {
        var brokerUrl = new Uri(RabbitMqBroker.Url);
        var vhost = $"scale-{Guid.NewGuid():N}"[..20];
        await RabbitMqBroker.CtlAsync("add_vhost", vhost);
        var user = Uri.UnescapeDataString(brokerUrl.UserInfo.Split(':')[0]);
        await RabbitMqBroker.CtlAsync("set_permissions", "-p", vhost, user, ".*", ".*", ".*");
        var vhostUrl = new UriBuilder(brokerUrl) { Path = "/" + vhost }.Uri;
        var schema = await PostgresTestSchema.CreateAsync("scale");
        var sandbox = await SandboxHost.StartAsync(new SandboxOptions(), CancellationToken.None);
        var cluster = new ScaleOutCluster(vhost, vhostUrl, schema, sandbox);
        cluster.WriteConfig();
        await cluster.DeclareSourceAndSubscriberAsync();
        return cluster;
    }

    public async Task<IConnection> ConnectAsync() => await new ConnectionFactory { Uri = VhostUrl }.CreateConnectionAsync();

    /// <summary>What the platform and a subscriber set up on their side: the source queue (with its DLX) and a queue bound to the events exchange.</summary>
    private async Task DeclareSourceAndSubscriberAsync()
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(SourceDeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(SourceQueue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-dead-letter-exchange"] = SourceDeadLetterExchange });
        await channel.ExchangeDeclareAsync(EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(EventsQueue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(EventsQueue, EventsExchange, "#");
    }

    public static string OrderNumber(int i) => $"SO-{i:0000}";

    /// <summary>The platform publishing its orders: persistent, confirmed, message_id set.</summary>
    public async Task PublishOrdersAsync(int count)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        for (var i = 1; i <= count; i++)
        {
            var number = OrderNumber(i);
            var properties = new BasicProperties { MessageId = $"{number}-v1", Type = "order.created", Persistent = true, ContentType = "application/json" };
            var body = $$"""
                { "orderNumber": "{{number}}", "version": 1, "createdAt": "2026-11-24T10:00:00+03:00",
                  "client": { "id": "c{{i}}", "fullName": "Покупатель {{i}}", "email": "Buyer{{i}}@Example.ru", "tel": "8 (900) 000-{{i % 10000:0000}}" },
                  "items": [ { "code": "SKU-{{i % 17}}", "title": "Товар {{i % 17}}", "count": 2, "price": 150.5 } ],
                  "sum": 301, "deliveryMethod": "cdek" }
                """;
            await channel.BasicPublishAsync("", SourceQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
        }
    }

    /// <summary>Starts <paramref name="count"/> hosts and waits until every one is running (queues declared, pollers started).</summary>
    public async Task StartHostsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var hostDirectory = directory.Combine($"host-{i + 1}");
            Directory.CreateDirectory(hostDirectory);
            hosts.Add(RouterProcess.Start(hostDirectory, environment, "run", "--config", ConfigPath));
        }
        foreach (var host in hosts)
        {
            await RouterFixture.EventuallyAsync(() =>
            {
                Assert.That(host.HasExited, Is.False, "a host exited early:\n" + host.Output);
                return Task.FromResult(host.Output.Contains("Router running with", StringComparison.Ordinal));
            }, "every host running", TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>Orders the platform emulator created (2xx answers not served from its idempotency store), by number.</summary>
    public IReadOnlyDictionary<string, int> OrdersCreated() =>
        Sandbox.State.Requests.Query(new RequestLogQuery { Path = "/platform/orders", Limit = 100_000 })
            .Where(r => r.Status is >= 200 and < 300 && !r.Repeat)
            .GroupBy(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("number").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());

    public PlatformStore Platform => ((PlatformEmulator)Sandbox.State.Find(PlatformEmulator.EmulatorName)!).Store;

    public async Task<long> DeadLetterCountAsync() =>
        Convert.ToInt64(await Schema.ExecuteAsync($"SELECT count(*) FROM \"{Schema.Name}\".state_dead_letters"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every event on the subscriber's queue (taken off it), as message_id → how many times.</summary>
    public async Task<IReadOnlyDictionary<string, int>> DrainEventsAsync()
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await channel.BasicGetAsync(EventsQueue, autoAck: true) is { } message)
        {
            var id = message.BasicProperties.MessageId ?? "(none)";
            ids[id] = ids.GetValueOrDefault(id) + 1;
        }
        return ids;
    }

    public async Task<uint> SourceBacklogAsync()
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(SourceQueue)).MessageCount;
    }

    public string Outputs() => string.Join("\n", hosts.Select((h, i) => $"--- host {i + 1}{(h.HasExited ? " (exited)" : "")}\n{Tail(h.Output)}"));

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }
        await Sandbox.DisposeAsync();
        await Schema.DisposeAsync();
        try
        {
            await RabbitMqBroker.CtlAsync("delete_vhost", Vhost);
        }
        catch (InvalidOperationException e)
        {
            await TestContext.Out.WriteLineAsync($"could not delete vhost {Vhost}: {e.Message}");
        }
        directory.Dispose();
    }
}
