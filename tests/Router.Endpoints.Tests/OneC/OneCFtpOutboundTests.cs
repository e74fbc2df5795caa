using System.IO.Abstractions.TestingHelpers;
using System.Text;
using System.Text.Json;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.OneC.Ftp;
using Router.Endpoints.Tests.Remote;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests.OneC;

/// <summary>The onec-ftp outbound endpoint against each real server: documents for 1C, complete or not at all.</summary>
[TestFixtureSource(typeof(RemoteServer), nameof(RemoteServer.Schemes))]
public sealed class OneCFtpOutboundTests(string scheme)
{
    private RemoteServer server = null!;

    [SetUp]
    public void SetUp() => server = RemoteServer.Start(scheme);

    [TearDown]
    public void TearDown() => server?.Dispose();

    [Test]
    public async Task A_windows1251_order_is_written_byte_for_byte_under_its_final_name_in_a_subfolder()
    {
        var envelope = OrderDocument("order-1001", OrderText("windows-1251"), "windows-1251");
        var endpoint = Endpoint(("fileName", "orders/{messageId}.xml"));
        var plan = endpoint.Plan(envelope, Context(envelope));

        var receipt = await endpoint.DeliverAsync(plan, Context(envelope), CancellationToken.None);

        var expected = Encoding.GetEncoding(1251).GetBytes(OrderText("windows-1251"));
        Assert.That(plan.Body, Is.EqualTo(expected));
        Assert.That(server.Files(), Is.EqualTo(new[] { "orders/order-1001.xml" }), "no temporary file is left");
        Assert.That(File.ReadAllBytes(server.Local("orders", "order-1001.xml")), Is.EqualTo(expected));
        Assert.That(plan.Encoding, Is.EqualTo("windows-1251"));
        Assert.That(plan.ContentType, Is.EqualTo("application/xml; charset=windows-1251"));
        Assert.That(receipt.Detail, Does.Contain("orders/order-1001.xml"));
    }

    [Test]
    public async Task Delivering_again_overwrites_the_same_name_with_the_same_bytes()
    {
        var envelope = OrderDocument("order-1001", OrderText("utf-8"), "utf-8");
        var endpoint = Endpoint();

        await endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None);
        var first = File.ReadAllBytes(server.Local("order-1001.xml"));
        await endpoint.DeliverAsync(endpoint.Plan(envelope with { }, Context(envelope)), Context(envelope), CancellationToken.None);

        Assert.That(server.Files(), Is.EqualTo(new[] { "order-1001.xml" }));
        Assert.That(File.ReadAllBytes(server.Local("order-1001.xml")), Is.EqualTo(first));
        Assert.That(first, Is.EqualTo(Encoding.UTF8.GetBytes(OrderText("utf-8"))));
    }

    [Test]
    public async Task Payload_and_envelope_bodies_are_json()
    {
        var envelope = OrderDocument("order-1001", OrderText("utf-8"), "utf-8");
        var endpoint = Endpoint(("body", "envelope"), ("fileName", "{messageId}.json"));

        await endpoint.DeliverAsync(endpoint.Plan(envelope, Context(envelope)), Context(envelope), CancellationToken.None);

        var written = JsonDocument.Parse(File.ReadAllBytes(server.Local("order-1001.json"))).RootElement;
        Assert.That(written.GetProperty("messageId").GetString(), Is.EqualTo("order-1001"));
    }

    [Test]
    public void The_plan_shows_the_url_with_the_password_masked()
    {
        var envelope = OrderDocument("order-1001", OrderText("utf-8"), "utf-8");

        var plan = Endpoint().Plan(envelope, Context(envelope));

        Assert.That(plan.ShownTarget, Does.EndWith($"{server.FolderName}/order-1001.xml"));
        Assert.That(plan.Target, Is.EqualTo($"{server.RemoteFolder}/order-1001.xml"));
        if (server.Password is { } password)
        {
            Assert.That(plan.ShownTarget, Does.StartWith($"{scheme}://{server.User}:***@127.0.0.1:"));
            Assert.That(plan.ShownTarget + plan.Target, Does.Not.Contain(password));
        }
    }

    [Test]
    public void A_character_the_declared_encoding_cannot_hold_is_a_permanent_failure_naming_where_it_is()
    {
        var text = OrderText("windows-1251").Replace("Иван", "Иван 😀");
        var envelope = OrderDocument("order-1001", text, "windows-1251");

        var failure = Assert.Throws<PermanentFailureException>(() => Endpoint().Plan(envelope, Context(envelope)));

        Assert.That(failure!.Message, Does.Contain("U+1F600").And.Contain("line 3").And.Contain("windows-1251"));
    }

    [Test]
    public void A_payload_encoding_that_contradicts_the_xml_declaration_is_refused()
    {
        var envelope = OrderDocument("order-1001", OrderText("windows-1251"), "utf-8");

        Assert.Throws<PermanentFailureException>(() => Endpoint().Plan(envelope, Context(envelope)));
    }

    [Test]
    public async Task The_file_is_uploaded_under_a_temporary_name_1C_ignores_then_renamed()
    {
        if (scheme != RemoteServer.File)
        {
            Assert.Ignore("the rename is observed through a spying file system, which only the file:// scheme uses");
        }
        var files = new SpyFileSystem(new MockFileSystem());
        var envelope = OrderDocument("order-1001", OrderText("utf-8"), "utf-8");
        var definition = new EndpointDefinition("to-1c", OneCFtpEndpointKind.Name, Yaml.Map(("url", "file:///exchange"), ("path", "/to-1c")));
        var endpoint = new OneCFtpEndpointKind().CreateOutbound(definition, TestServices.For(files));
        var plan = endpoint.Plan(envelope, Context(envelope));

        await endpoint.DeliverAsync(plan, Context(envelope), CancellationToken.None);

        var move = files.Moves.Single();
        Assert.That(Path.GetFileName(move.Source), Does.Match(@"^\.order-1001\.xml\.[0-9a-f]{12}\.tmp$"));
        Assert.That(move.Destination, Is.EqualTo("/exchange/to-1c/order-1001.xml"));
        Assert.That(move.SourceContent, Is.EqualTo(plan.Body), "complete before the rename");
        Assert.That(files.Inner.Directory.GetFiles("/exchange/to-1c"), Is.EqualTo(new[] { "/exchange/to-1c/order-1001.xml" }));
    }

    private IOutboundEndpoint Endpoint(params (string Key, object? Value)[] options)
    {
        var mapping = server.Options([("path", server.RemoteFolder), .. options]);
        return new OneCFtpEndpointKind().CreateOutbound(new EndpointDefinition("to-1c", OneCFtpEndpointKind.Name, mapping), RemoteServer.Services());
    }

    /// <summary>What the commerceml-order transformer writes.</summary>
    private static string OrderText(string encoding) =>
        $"<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.05\">\n  <Документ><Ид>1001</Ид><Контрагент>Иван Петров — «ООО Ромашка»</Контрагент></Документ>\n</КоммерческаяИнформация>\n";

    private static Envelope OrderDocument(string messageId, string text, string encoding) => new Envelope
    {
        MessageId = messageId,
        Type = MessageTypes.OrderCreated,
        Source = "platform-orders",
        EntityKey = "order:1001",
        Payload = RouterJson.ToElement(new { fileName = "orders-1001.xml", encoding, text }),
    }.WithHeader("content-type", "application/xml");

    private static DeliveryContext Context(Envelope envelope) => new()
    {
        RouteId = "orders-to-1c",
        EndpointId = "to-1c",
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "orders-to-1c/to-1c"),
    };
}
