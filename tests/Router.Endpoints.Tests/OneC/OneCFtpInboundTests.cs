using System.Net;
using System.Text;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.OneC.Ftp;
using Router.Endpoints.Tests.Remote;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests.OneC;

/// <summary>The onec-ftp inbound endpoint against each real server: 1C's exchange folder as 1C leaves it.</summary>
[TestFixtureSource(typeof(RemoteServer), nameof(RemoteServer.Schemes))]
public sealed class OneCFtpInboundTests(string scheme)
{
    private const string Catalogue = """<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация ВерсияСхемы="2.07"><Каталог><Ид>1</Ид></Каталог></КоммерческаяИнформация>""";
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    private RemoteServer server = null!;
    private RecordingSink sink = null!;

    [SetUp]
    public void SetUp()
    {
        server = RemoteServer.Start(scheme);
        sink = new RecordingSink();
    }

    [TearDown]
    public void TearDown() => server?.Dispose();

    [Test]
    public async Task A_file_still_growing_between_polls_is_not_taken_until_it_stops()
    {
        server.Drop("import.xml", """<?xml version="1.0"?><КоммерческаяИнформация>""");
        var endpoint = Endpoint();

        var first = await endpoint.PollAsync(sink, null, CancellationToken.None);
        File.AppendAllText(server.Local("import.xml"), "<Каталог/>");
        var whileGrowing = await endpoint.PollAsync(sink, null, CancellationToken.None);
        File.AppendAllText(server.Local("import.xml"), "</КоммерческаяИнформация>");
        var stillGrowing = await endpoint.PollAsync(sink, null, CancellationToken.None);
        var settled = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(first, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(whileGrowing, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(stillGrowing, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(settled, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(TextOf(sink.Messages.Single()), Does.EndWith("<Каталог/></КоммерческаяИнформация>"));
        Assert.That(server.Files(), Is.EqualTo(new[] { "processed/import.xml" }));
    }

    [Test]
    public async Task Catalogues_are_handed_off_before_offers_prices_and_rests_then_by_name()
    {
        foreach (var name in new[] { "rests___9f.xml", "offers0_1.xml", "prices0_1.xml", "import___b815.xml", "offers___f0ba.xml", "import0_1.xml" })
        {
            server.Drop(name, Catalogue);
        }

        var result = await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(6, 0, 0, 0)));
        Assert.That(sink.Batches, Has.Count.EqualTo(1));
        Assert.That(sink.Messages.Select(m => m.Headers["file-name"]), Is.EqualTo(new[]
        {
            "import0_1.xml", "import___b815.xml", "offers0_1.xml", "offers___f0ba.xml", "prices0_1.xml", "rests___9f.xml",
        }));
    }

    [Test]
    public async Task An_accepted_file_moves_to_processed_byte_for_byte_and_never_overwrites_an_earlier_one()
    {
        var bytes = Encoding.UTF8.GetBytes(Catalogue);
        server.Drop("import.xml", bytes);
        var endpoint = Endpoint();
        await endpoint.PollAsync(sink, Settle, CancellationToken.None);
        server.Drop("import.xml", Catalogue.Replace("<Ид>1</Ид>", "<Ид>2</Ид>"));

        var second = await endpoint.PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(second.Accepted, Is.EqualTo(1));
        Assert.That(server.Files(), Is.EqualTo(new[] { "processed/import.2.xml", "processed/import.xml" }));
        Assert.That(File.ReadAllBytes(server.Local("processed", "import.xml")), Is.EqualTo(bytes));
        var message = sink.Messages.First();
        Assert.That(message.FallbackMessageId, Does.StartWith("file:import.xml:"));
        Assert.That(message.Payload.GetProperty("fileName").GetString(), Is.EqualTo("import.xml"));
    }

    [Test]
    public async Task In_delete_mode_an_accepted_file_is_removed()
    {
        server.Drop("import.xml", Catalogue);

        var result = await Endpoint(("processed", "delete")).PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(server.Files(), Is.Empty);
    }

    [Test]
    public async Task Malformed_xml_goes_to_failed_with_a_note_naming_the_line_and_position()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<КоммерческаяИнформация>\n  <Каталог></Товары>\n</КоммерческаяИнформация>");
        server.Drop("import.xml", bytes);
        server.Drop("offers.xml", Catalogue);

        var result = await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(1, 0, 1, 0)));
        Assert.That(server.Files(), Is.EqualTo(new[] { "failed/import.xml", "failed/import.xml.error.txt", "processed/offers.xml" }));
        Assert.That(File.ReadAllBytes(server.Local("failed", "import.xml")), Is.EqualTo(bytes));
        var note = File.ReadAllText(server.Local("failed", "import.xml.error.txt"));
        Assert.That(note, Does.Contain("code: malformed-input"));
        Assert.That(note, Does.Contain("import.xml: malformed XML at line 3, position"));
        var rejection = sink.Rejections.Single();
        Assert.That(rejection.Error, Does.Contain("line 3"));
        Assert.That(rejection.MessageId, Does.StartWith("file:import.xml:"));
    }

    [TestCase("entity-bomb.xml", """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>""")]
    [TestCase("xxe.xml", """<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>""")]
    public async Task A_document_type_is_refused_rather_than_expanded(string name, string content)
    {
        server.Drop(name, content);

        var result = await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result.Rejected, Is.EqualTo(1));
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(server.Files(), Is.EqualTo(new[] { $"failed/{name}", $"failed/{name}.error.txt" }));
        Assert.That(File.ReadAllText(server.Local("failed", name + ".error.txt")), Does.Contain("DTD").And.Contain("line 1"));
    }

    [Test]
    public async Task A_windows1251_file_is_decoded_as_it_declares()
    {
        var text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><КоммерческаяИнформация><Документ><Номер>Заказ №1</Номер></Документ></КоммерческаяИнформация>";
        server.Drop("orders.xml", Encoding.GetEncoding(1251).GetBytes(text));

        await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(TextOf(sink.Messages.Single()), Is.EqualTo(text));
    }

    [Test]
    public async Task A_file_seen_before_with_the_same_name_and_content_is_a_duplicate_and_set_aside_as_processed()
    {
        var seen = new HashSet<string>();
        sink.Answer = m => new HandOffResult(seen.Add(m.FallbackMessageId) ? HandOffStatus.Accepted : HandOffStatus.Duplicate);
        var endpoint = Endpoint();
        server.Drop("import.xml", Catalogue);
        await endpoint.PollAsync(sink, Settle, CancellationToken.None);
        server.Drop("import.xml", Catalogue);

        var again = await endpoint.PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(again, Is.EqualTo(new PollResult(0, 1, 0, 0)));
        Assert.That(sink.Messages.Select(m => m.FallbackMessageId).Distinct().Count(), Is.EqualTo(1));
        Assert.That(server.Files(), Is.EqualTo(new[] { "processed/import.2.xml", "processed/import.xml" }));
    }

    [Test]
    public async Task In_marker_mode_a_file_waits_for_its_marker_which_is_removed_afterwards()
    {
        server.Drop("import.xml", Catalogue);
        var endpoint = Endpoint(("complete", "marker"));

        var before = await endpoint.PollAsync(sink, null, CancellationToken.None);
        server.Drop("import.xml.done", "");
        var after = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(before, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(after, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(server.Files(), Is.EqualTo(new[] { "processed/import.xml" }));
    }

    [Test]
    public async Task A_file_over_the_size_limit_is_refused_under_the_id_it_would_have_had()
    {
        server.Drop("import.xml", Catalogue + new string(' ', 5000));

        var result = await Endpoint(("maxFileSize", "2KB")).PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result.Rejected, Is.EqualTo(1));
        Assert.That(sink.Rejections.Single().Error, Does.Contain("larger than the limit of 2048 bytes"));
        Assert.That(sink.Rejections.Single().MessageId, Does.StartWith("file:import.xml:"));
        Assert.That(server.Files(), Is.EqualTo(new[] { "failed/import.xml", "failed/import.xml.error.txt" }));
    }

    [Test]
    public async Task Temporary_hidden_and_unmatched_files_are_left_alone()
    {
        server.Drop(".import.xml.1a2b.tmp", Catalogue);
        server.Drop("import.xml.tmp", Catalogue);
        server.Drop("readme.txt", "hello");
        server.Drop("Import.XML", Catalogue);

        var result = await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(server.Files(), Is.EqualTo(new[] { ".import.xml.1a2b.tmp", "import.xml.tmp", "processed/Import.XML", "readme.txt" }));
    }

    [Test]
    public async Task Origins_and_rejections_show_the_location_without_the_password()
    {
        server.Drop("import.xml", "<broken");
        server.Drop("offers.xml", Catalogue);

        await Endpoint().PollAsync(sink, Settle, CancellationToken.None);

        var shown = sink.Rejections.Select(r => r.Origin + r.Error).Concat(sink.Messages.Select(m => m.Origin)).ToList();
        Assert.That(shown, Has.Count.EqualTo(2));
        Assert.That(shown, Has.All.Contain(server.FolderName));
        if (server.Password is { } password)
        {
            Assert.That(shown, Has.None.Contain(password));
            Assert.That(sink.Messages.Single().Origin, Does.Contain(":***@"));
        }
    }

    [Test]
    public async Task A_connection_dropped_mid_download_leaves_the_file_in_place_and_the_next_poll_takes_it()
    {
        if (scheme != RemoteServer.Sftp)
        {
            Assert.Ignore("SFTP carries listing and transfer on one connection, which the proxy can cut mid-file");
        }
        var big = Catalogue.Replace("<Ид>1</Ид>", "<Ид>1</Ид>" + string.Concat(Enumerable.Repeat("<Товар><Ид>x</Ид></Товар>", 40_000)));
        server.Drop("import.xml", big);
        var url = new Uri(server.Url);
        await using var proxy = new CuttingProxy(new IPEndPoint(IPAddress.Loopback, url.Port)) { CutAfterBytes = 200_000 };
        var endpoint = Endpoint(("url", $"sftp://127.0.0.1:{proxy.Port}{url.AbsolutePath}"));
        await endpoint.PollAsync(sink, null, CancellationToken.None);

        var cut = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(proxy.Cuts, Is.GreaterThanOrEqualTo(1), "the transfer was cut");
        Assert.That(cut, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(sink.Rejections, Is.Empty);
        Assert.That(server.Files(), Is.EqualTo(new[] { "import.xml" }));

        proxy.CutAfterBytes = null;
        var next = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(next, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(TextOf(sink.Messages.Single()), Is.EqualTo(big));
        Assert.That(server.Files(), Is.EqualTo(new[] { "processed/import.xml" }));
    }

    private IInboundEndpoint Endpoint(params (string Key, object? Value)[] options)
    {
        ConfigMapping mapping = server.Options([("path", server.RemoteFolder), .. options]);
        return new OneCFtpEndpointKind().CreateInbound(new EndpointDefinition("onec", OneCFtpEndpointKind.Name, mapping), RemoteServer.Services());
    }

    private static string TextOf(InboundMessage message) => message.Payload.GetProperty("text").GetString()!;
}
