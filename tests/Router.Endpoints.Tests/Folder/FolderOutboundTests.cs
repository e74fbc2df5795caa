using System.IO.Abstractions.TestingHelpers;
using System.Text;
using System.Text.Json;
using Router.Core.Config;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Folder;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests.Folder;

public sealed class FolderOutboundTests
{
    private const string Outbox = "/router/outbox";

    private SpyFileSystem files = null!;

    [SetUp]
    public void SetUp()
    {
        files = new SpyFileSystem(new MockFileSystem());
    }

    [Test]
    public void The_plan_names_the_file_after_the_message_made_safe_for_file_systems()
    {
        var envelope = Order("file:Заказ 1.json:ab12cd|orders/outbox");

        var plan = Endpoint().Plan(envelope, Context(envelope));

        Assert.That(plan.Kind, Is.EqualTo("file"));
        Assert.That(plan.Target, Is.EqualTo($"{Outbox}/file_Заказ_1.json_ab12cd_orders_outbox.json"));
        Assert.That(JsonDocument.Parse(plan.Body).RootElement.GetProperty("number").GetString(), Is.EqualTo("1001"));
    }

    [Test]
    public void The_same_message_on_the_same_leg_always_gets_the_same_plan()
    {
        var envelope = Order("order-1001");
        var endpoint = Endpoint(("fileName", "{type}-{entityKey}-{idempotencyKey}.json"));

        var first = endpoint.Plan(envelope, Context(envelope));
        var second = endpoint.Plan(envelope with { }, Context(envelope));

        Assert.That(second.Target, Is.EqualTo(first.Target));
        Assert.That(second.Body, Is.EqualTo(first.Body));
        Assert.That(first.Target, Is.EqualTo($"{Outbox}/order.created-order_1001-{Context(envelope).IdempotencyKey}.json"));
    }

    [Test]
    public void A_template_placeholder_the_message_lacks_is_a_permanent_failure()
    {
        var envelope = Order("order-1001") with { EntityKey = null };

        var failure = Assert.Throws<PermanentFailureException>(() => Endpoint(("fileName", "{entityKey}.json")).Plan(envelope, Context(envelope)));

        Assert.That(failure!.Code, Is.EqualTo("file-name"));
        Assert.That(failure.Message, Does.Contain("{entityKey}"));
    }

    [Test]
    public void An_unknown_placeholder_is_a_configuration_error()
    {
        Assert.That(() => Endpoint(("fileName", "{orderNumber}.json")), Throws.InstanceOf<ConfigException>().With.Message.Contains("{orderNumber}"));
    }

    [Test]
    public async Task Delivery_writes_a_temporary_dot_file_then_renames_it_over_the_final_name()
    {
        var envelope = Order("order-1001");
        var endpoint = Endpoint();
        var plan = endpoint.Plan(envelope, Context(envelope));

        var receipt = await endpoint.DeliverAsync(plan, Context(envelope), CancellationToken.None);

        var move = files.Moves.Single();
        Assert.That(Path.GetDirectoryName(move.Source), Is.EqualTo(Outbox));
        Assert.That(Path.GetFileName(move.Source), Does.Match(@"^\.order-1001\.json\.[0-9a-f]{12}\.tmp$"));
        Assert.That(move.Destination, Is.EqualTo(plan.Target));
        Assert.That(move.SourceContent, Is.EqualTo(plan.Body), "complete before the rename");
        Assert.That(files.Inner.File.ReadAllBytes(plan.Target), Is.EqualTo(plan.Body));
        Assert.That(files.Inner.Directory.GetFiles(Outbox), Is.EqualTo(new[] { plan.Target }));
        Assert.That(receipt.Detail, Does.Contain(plan.Target));
    }

    [Test]
    public async Task Delivering_again_replaces_the_file_with_the_same_content()
    {
        var envelope = Order("order-1001");
        var endpoint = Endpoint();
        var plan = endpoint.Plan(envelope, Context(envelope));

        await endpoint.DeliverAsync(plan, Context(envelope), CancellationToken.None);
        await endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None);

        Assert.That(files.Moves.Select(m => m.DestinationExisted), Is.EqualTo(new[] { false, true }));
        Assert.That(files.Inner.Directory.GetFiles(Outbox), Is.EqualTo(new[] { plan.Target }));
        Assert.That(files.Inner.File.ReadAllBytes(plan.Target), Is.EqualTo(plan.Body));
    }

    [Test]
    public async Task An_io_error_is_transient_and_leaves_no_temporary_file()
    {
        files.Inner.AddFile($"{Outbox}/order-1001.json", new MockFileData("previous"));
        files.MoveFailure = new IOException("No space left on device");
        var envelope = Order("order-1001");
        var endpoint = Endpoint();

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("No space left on device"));
        Assert.That(files.Inner.Directory.GetFiles(Outbox), Is.EqualTo(new[] { $"{Outbox}/order-1001.json" }));
        Assert.That(files.Inner.File.ReadAllText($"{Outbox}/order-1001.json"), Is.EqualTo("previous"));
    }

    [Test]
    public void Permission_denied_is_permanent()
    {
        files.MoveFailure = new UnauthorizedAccessException("Access to the path is denied.");
        var envelope = Order("order-1001");
        var endpoint = Endpoint();

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("permission-denied"));
    }

    [Test]
    public void The_whole_envelope_can_be_written_indented()
    {
        var envelope = Order("order-1001");

        var plan = Endpoint(("body", "envelope"), ("indent", true)).Plan(envelope, Context(envelope));

        var text = Encoding.UTF8.GetString(plan.Body);
        Assert.That(text, Does.Contain("\n"));
        var written = JsonDocument.Parse(text).RootElement;
        Assert.That(written.GetProperty("messageId").GetString(), Is.EqualTo("order-1001"));
        Assert.That(written.GetProperty("payload").GetProperty("number").GetString(), Is.EqualTo("1001"));
    }

    [Test]
    public async Task Body_text_writes_the_payloads_text_in_the_encoding_it_declares()
    {
        const string text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<КоммерческаяИнформация><Документ><Ид>1001</Ид></Документ></КоммерческаяИнформация>\n";
        var envelope = Order("order-1001") with
        {
            Payload = RouterJson.ToElement(new { fileName = "orders-1001.xml", encoding = "windows-1251", text }),
        };
        var endpoint = Endpoint(("body", "text"), ("fileName", "{messageId}.xml"));
        var plan = endpoint.Plan(envelope, Context(envelope));

        await endpoint.DeliverAsync(plan, Context(envelope), CancellationToken.None);

        var expected = Encoding.GetEncoding(1251).GetBytes(text);
        Assert.That(files.Inner.File.ReadAllBytes($"{Outbox}/order-1001.xml"), Is.EqualTo(expected));
        Assert.That(plan.Encoding, Is.EqualTo("windows-1251"));
    }

    [Test]
    public void Body_text_needs_a_text_in_the_payload()
    {
        var envelope = Order("order-1001");

        var failure = Assert.Throws<PermanentFailureException>(() => Endpoint(("body", "text")).Plan(envelope, Context(envelope)));

        Assert.That(failure!.Message, Does.Contain("no text"));
    }

    private static Envelope Order(string messageId) => new()
    {
        MessageId = messageId,
        Type = MessageTypes.OrderCreated,
        Source = "platform-orders",
        EntityKey = "order:1001",
        Payload = RouterJson.ParseElement("""{ "number": "1001", "customer": { "email": "buyer@example.ru" } }"""),
    };

    private static DeliveryContext Context(Envelope envelope) => new()
    {
        RouteId = "orders",
        EndpointId = "outbox",
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "orders/outbox"),
    };

    private IOutboundEndpoint Endpoint(params (string Key, object? Value)[] options) =>
        new FolderEndpointKind().CreateOutbound(
            new EndpointDefinition("outbox", "folder", Yaml.Map([("kind", "folder"), ("path", "outbox"), .. options])),
            TestServices.For(files));
}
