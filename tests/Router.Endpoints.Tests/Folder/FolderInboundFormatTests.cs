using System.IO.Abstractions.TestingHelpers;
using System.Text;
using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Shared;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests.Folder;

public sealed class FolderInboundFormatTests
{
    private const string Inbox = "/router/inbox";

    private static readonly Encoding Windows1251 = TextEncodings.Strict(TextEncodings.Windows1251);

    private MockFileSystem files = null!;
    private RecordingSink sink = null!;

    [SetUp]
    public void SetUp()
    {
        files = new MockFileSystem();
        files.AddDirectory(Inbox);
        sink = new RecordingSink();
    }

    [Test]
    public async Task Windows1251_text_is_decoded_into_the_text_payload()
    {
        Drop("note.txt", Windows1251.GetBytes("Заказ №1001 оплачен"));

        var result = await PollTwiceAsync(("format", "text"), ("encoding", "windows-1251"), ("pattern", "*.txt"));

        Assert.That(result.Accepted, Is.EqualTo(1));
        var payload = sink.Messages.Single().Payload;
        Assert.That(payload.GetProperty("fileName").GetString(), Is.EqualTo("note.txt"));
        Assert.That(payload.GetProperty("text").GetString(), Is.EqualTo("Заказ №1001 оплачен"));
    }

    [Test]
    public async Task Windows1251_json_is_parsed_after_decoding()
    {
        Drop("order.json", Windows1251.GetBytes("""{ "city": "Екатеринбург" }"""));

        var result = await PollTwiceAsync(("encoding", "windows-1251"));

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(sink.Messages.Single().Payload.GetProperty("city").GetString(), Is.EqualTo("Екатеринбург"));
    }

    [Test]
    public async Task Xml_declaring_windows1251_is_read_in_that_encoding_even_when_the_option_says_utf8()
    {
        var xml = """<?xml version="1.0" encoding="windows-1251"?><КоммерческаяИнформация ВерсияСхемы="2.10"><Каталог><Наименование>Основной каталог</Наименование></Каталог></КоммерческаяИнформация>""";
        Drop("import.xml", Windows1251.GetBytes(xml));

        var result = await PollTwiceAsync(("format", "xml"), ("pattern", "*.xml"));

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(sink.Messages.Single().Payload.GetProperty("text").GetString(), Is.EqualTo(xml));
    }

    [Test]
    public async Task Malformed_xml_is_rejected_with_its_position()
    {
        Drop("import.xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<a>\n  <b></a>"));

        var result = await PollTwiceAsync(("format", "xml"), ("pattern", "*.xml"));

        Assert.That(result.Rejected, Is.EqualTo(1));
        Assert.That(sink.Rejections.Single().Error, Does.StartWith("import.xml: malformed XML at line 3"));
        Assert.That(files.FileExists($"{Inbox}/failed/import.xml.error.txt"), Is.True);
    }

    [Test]
    public async Task Xml_with_a_document_type_is_refused_rather_than_expanded()
    {
        Drop("evil.xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"));

        var result = await PollTwiceAsync(("format", "xml"), ("pattern", "*.xml"));

        Assert.That(result.Rejected, Is.EqualTo(1));
    }

    [Test]
    public async Task Binary_files_become_base64()
    {
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        Drop("scan.bin", bytes);

        await PollTwiceAsync(("format", "binary"), ("pattern", "*.bin"));

        var payload = sink.Messages.Single().Payload;
        Assert.That(payload.GetProperty("fileName").GetString(), Is.EqualTo("scan.bin"));
        Assert.That(Convert.FromBase64String(payload.GetProperty("contentBase64").GetString()!), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Text_in_utf8_rejects_invalid_bytes_too()
    {
        Drop("note.txt", [0x41, 0x42, 0xFF, 0x43]);

        await PollTwiceAsync(("format", "text"), ("pattern", "*.txt"));

        Assert.That(sink.Rejections.Single().Error, Is.EqualTo("note.txt: invalid utf-8 at byte offset 2"));
    }

    private void Drop(string name, byte[] content) =>
        files.AddFile($"{Inbox}/{name}", new MockFileData(content) { LastWriteTime = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc) });

    private async Task<PollResult> PollTwiceAsync(params (string Key, object? Value)[] options)
    {
        var definition = new EndpointDefinition("inbox", "folder", Yaml.Map([("kind", "folder"), ("path", Inbox), .. options]));
        var endpoint = new FolderEndpointKind().CreateInbound(definition, TestServices.For(files));
        await endpoint.PollAsync(sink, null, CancellationToken.None);
        return await endpoint.PollAsync(sink, null, CancellationToken.None);
    }
}
