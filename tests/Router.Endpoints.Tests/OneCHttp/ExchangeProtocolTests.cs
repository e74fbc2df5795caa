using System.Net;
using System.Text;
using Router.Endpoints.Folder;
using Router.Endpoints.OneCHttp.Exchange;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Tests.OneCHttp;

/// <summary>The CommerceML exchange as 1C drives it (the sandbox driver) against the endpoint on the real listener.</summary>
public sealed class ExchangeProtocolTests
{
    private static readonly string Fixtures = new[] { "/work/shared/fixtures/commerceml", Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/commerceml") }
        .First(Directory.Exists);

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(Fixtures, name));

    [Test]
    public async Task Checkauth_checks_the_password_and_hands_out_the_cookie_every_later_step_needs()
    {
        await using var exchange = await ExchangeHarness.StartAsync();

        using var wrong = exchange.Driver(password: "guess");
        var refused = await wrong.CheckAuthAsync("catalog");
        Assert.That(refused.Lines, Is.EqualTo(new[] { "failure", "wrong user name or password" }));
        Assert.That(wrong.HasSession, Is.False);

        using var driver = exchange.Driver();
        var withoutLogin = await driver.InitAsync("catalog");
        Assert.That(withoutLogin.IsFailure, Is.True);
        Assert.That(withoutLogin.Detail, Does.Contain("checkauth"));

        var login = await driver.CheckAuthAsync("catalog");
        Assert.That(login.IsSuccess, Is.True);
        Assert.That(login.Lines[1], Is.EqualTo(ExchangeSessions.CookieName));
        Assert.That(login.Lines[2], Has.Length.GreaterThanOrEqualTo(32));
        var init = await driver.InitAsync("catalog");
        Assert.That(init.Lines, Is.EqualTo(new[] { "zip=no", $"file_limit={exchange.Options.FileLimit}" }));
        Assert.That(driver.ZipAllowed, Is.False);
    }

    [Test]
    public async Task Checkauth_without_credentials_is_challenged_with_401()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(exchange.ExchangeUrl + "?type=catalog&mode=checkauth"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("failure\n"));
    }

    [Test]
    public async Task A_file_sent_in_file_limit_parts_is_appended_and_imported_as_the_folder_endpoint_would_read_it()
    {
        await using var exchange = await ExchangeHarness.StartAsync(o => o with { FileLimit = 4096 });
        var content = Fixture("04_carono_import_2.07.xml");
        using var driver = await exchange.LoggedInAsync();

        var upload = await driver.UploadAsync("catalog", "import.xml", content);
        var import = await driver.ImportAsync("catalog", "import.xml");

        Assert.That(upload.IsSuccess, Is.True, upload.ToString());
        Assert.That(content.Length / 4096, Is.GreaterThan(10), "the file must really arrive in parts");
        Assert.That(import.Final.IsSuccess, Is.True, import.Final.ToString());
        var message = exchange.Sink.Messages.Single();
        var folderReading = new InboundPayloadReader(InboundFileFormat.Xml, TextEncodings.Strict(TextEncodings.Utf8)).Read("import.xml", content);
        Assert.That(message.Payload.GetRawText(), Is.EqualTo(folderReading.GetRawText()));
        Assert.That(message.Headers["file-name"], Is.EqualTo("import.xml"));
        Assert.That(message.Headers["onec-exchange"], Is.EqualTo("catalog"));
        Assert.That(message.FallbackMessageId, Does.StartWith("file:import.xml:"));
        Assert.That(Directory.EnumerateFiles(exchange.Options.UploadDir, "*", SearchOption.AllDirectories), Is.Empty, "the imported upload is deleted once the router holds it");
    }

    [Test]
    public async Task Subfolders_and_the_prefixes_1C_on_Linux_sends_are_kept_within_the_session_folder()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        Assert.That((await driver.UploadAsync("catalog", "/tmp/goods/1/import___a1.xml", Fixture("01_irpsv_off-doc-1c_import_2.04.xml"))).IsSuccess, Is.True);
        var import = await driver.ImportAsync("catalog", "goods\\1\\import___a1.xml");

        Assert.That(import.Final.IsSuccess, Is.True, import.Final.ToString());
        Assert.That(HoldingSink.FileNameOf(exchange.Sink.Messages.Single()), Is.EqualTo("goods/1/import___a1.xml"));
    }

    [TestCase("../evil.xml", "leaves the exchange folder")]
    [TestCase("import_files/../../evil.xml", "leaves the exchange folder")]
    [TestCase("/etc/cron.d/evil", "absolute path")]
    [TestCase("C:\\Windows\\evil.xml", "absolute path")]
    [TestCase("shell.php", "script extension '.php'")]
    [TestCase("import_files/pic.php.jpg", "script extension '.php'")]
    [TestCase(".htaccess", "has a part the router does not store")]
    [TestCase("upload.zip", "zip archive")]
    public async Task Dangerous_names_are_refused_kept_aside_and_journaled(string filename, string reason)
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        var reply = await driver.UploadAsync("catalog", filename, Encoding.UTF8.GetBytes("<?php system($_GET['c']); ?>"));

        Assert.That(reply.IsFailure, Is.True, reply.ToString());
        Assert.That(reply.Detail, Does.Contain(reason));
        var rejection = exchange.Sink.Rejections.Single();
        Assert.That(rejection.Error, Does.Contain(reason));
        var kept = exchange.FailedFiles().ToList();
        Assert.That(kept, Has.Count.EqualTo(2), "the body and its .error.txt note");
        Assert.That(kept.Single(f => !f.EndsWith(".error.txt")), Does.EndWith(".refused"), "a refused script is never kept under a runnable name");
        Assert.That(Directory.EnumerateFiles(exchange.Directory, "evil*", SearchOption.AllDirectories), Is.Empty);
        Assert.That(File.Exists("/etc/cron.d/evil"), Is.False);
    }

    [Test]
    public async Task A_zip_archive_under_an_xml_name_is_refused_by_its_signature()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00];

        var reply = await driver.UploadAsync("catalog", "import.xml", zip);
        var import = await driver.ImportAsync("catalog", "import.xml");

        Assert.That(reply.IsFailure, Is.True);
        Assert.That(reply.Detail, Does.Contain("zip archive").And.Contain("zip=no"));
        Assert.That(import.Final.IsFailure, Is.True, "nothing of it stays to be imported");
        Assert.That(exchange.FailedFiles(), Does.Contain("import.xml").And.Contain("import.xml.error.txt"));
        Assert.That(exchange.Sink.Rejections.Single().Error, Does.Contain("zip"));
    }

    [Test]
    public async Task A_file_over_maxFileSize_is_refused_and_what_arrived_is_kept()
    {
        await using var exchange = await ExchangeHarness.StartAsync(o => o with { FileLimit = 1000, MaxFileSize = 2500 });
        using var driver = await exchange.LoggedInAsync();

        var reply = await driver.UploadAsync("catalog", "import.xml", new byte[4000]);

        Assert.That(reply.IsFailure, Is.True);
        Assert.That(reply.Detail, Does.Contain("larger than the limit of 2500 bytes (maxFileSize)"));
        Assert.That(new FileInfo(Path.Combine(exchange.Options.FailedDir, "import.xml")).Length, Is.EqualTo(2500));
        Assert.That(exchange.Sink.Rejections, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task All_files_of_a_session_together_may_not_exceed_maxUploadSize()
    {
        await using var exchange = await ExchangeHarness.StartAsync(o => o with { MaxUploadSize = 3000 });
        using var driver = await exchange.LoggedInAsync();

        var first = await driver.UploadAsync("catalog", "import_files/a.jpg", new byte[2000]);
        var second = await driver.UploadAsync("catalog", "import_files/b.jpg", new byte[2000]);

        Assert.That(first.IsSuccess, Is.True);
        Assert.That(second.IsFailure, Is.True);
        Assert.That(second.Detail, Does.Contain("maxUploadSize"));
    }

    [Test]
    public async Task A_file_with_a_DTD_fails_its_import_is_kept_aside_and_never_reaches_the_router()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();
        const string xxe = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE КоммерческаяИнформация [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <КоммерческаяИнформация ВерсияСхемы="2.07"><Каталог><Наименование>&secret;</Наименование></Каталог></КоммерческаяИнформация>
            """;

        Assert.That((await driver.UploadAsync("catalog", "import.xml", Encoding.UTF8.GetBytes(xxe))).IsSuccess, Is.True);
        var import = await driver.ImportAsync("catalog", "import.xml");

        Assert.That(import.Final.IsFailure, Is.True);
        Assert.That(import.Final.Detail, Does.Contain("import.xml: ").And.Contain("DTD").And.Contain("line 1"));
        Assert.That(exchange.Sink.Messages, Is.Empty);
        Assert.That(exchange.Sink.Rejections.Single().MessageId, Does.StartWith("file:import.xml:"));
        Assert.That(exchange.FailedFiles(), Does.Contain("import.xml").And.Contain("import.xml.error.txt"));
    }

    [Test]
    public async Task A_malformed_file_fails_with_the_line_where_it_breaks()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        await driver.UploadAsync("catalog", "offers.xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<КоммерческаяИнформация>\n<Предложения>\n</КоммерческаяИнформация>"));
        var import = await driver.ImportAsync("catalog", "offers.xml");

        Assert.That(import.Final.IsFailure, Is.True);
        Assert.That(import.Final.Detail, Does.Contain("offers.xml: malformed XML at line 4"));
    }

    [Test]
    public async Task A_large_import_answers_progress_while_the_router_takes_it_then_success()
    {
        await using var exchange = await ExchangeHarness.StartAsync(o => o with { BackgroundImportAbove = 1024 });
        using var driver = await exchange.LoggedInAsync();
        await driver.UploadAsync("catalog", "import.xml", Fixture("04_carono_import_2.07.xml"));
        exchange.Sink.Hold();

        var first = await driver.StepAsync("catalog", "import", "import.xml", null);
        var second = await driver.StepAsync("catalog", "import", "import.xml", null);
        exchange.Sink.Release();
        var final = await driver.ImportAsync("catalog", "import.xml");

        Assert.That(first.IsProgress, Is.True, first.ToString());
        Assert.That(second.IsProgress, Is.True, second.ToString());
        Assert.That(final.Final.IsSuccess, Is.True, final.Final.ToString());
        Assert.That(exchange.Sink.Messages, Has.Count.EqualTo(1));
        var again = await driver.StepAsync("catalog", "import", "import.xml", null);
        Assert.That(again.IsSuccess, Is.True, "a repeated import of a finished file answers success again");
        Assert.That(exchange.Sink.Messages, Has.Count.EqualTo(1), "and hands nothing off twice");
    }

    [Test]
    public async Task A_small_import_answers_success_at_once()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        var result = await driver.ExchangeFilesAsync("catalog", [("import.xml", Fixture("01_irpsv_off-doc-1c_import_2.04.xml")), ("offers.xml", Fixture("02_irpsv_off-doc-1c_offers_2.04.xml"))]);

        Assert.That(result.Final.IsSuccess, Is.True, result.Final.ToString());
        Assert.That(result.ProgressAnswers, Is.Zero);
        Assert.That(exchange.Sink.Messages.Select(HoldingSink.FileNameOf), Is.EqualTo(new[] { "import.xml", "offers.xml" }));
    }

    [Test]
    public async Task Importing_a_file_that_was_not_uploaded_fails()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        var import = await driver.ImportAsync("catalog", "import.xml");

        Assert.That(import.Final.IsFailure, Is.True);
        Assert.That(import.Final.Detail, Does.Contain("was not uploaded"));
    }

    [Test]
    public async Task A_file_the_router_rejects_fails_and_is_kept_aside()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        exchange.Sink.Answer = _ => new Router.Core.Endpoints.HandOffResult(Router.Core.Endpoints.HandOffStatus.Rejected, "no route reads from endpoint 'onec'");
        using var driver = await exchange.LoggedInAsync("sale");

        await driver.UploadAsync("sale", "orders-1.xml", Fixture("03_irpsv_off-doc-1c_orders_2.03.xml"));
        var import = await driver.ImportAsync("sale", "orders-1.xml");

        Assert.That(import.Final.IsFailure, Is.True);
        Assert.That(import.Final.Detail, Does.Contain("no route reads from endpoint 'onec'"));
        Assert.That(exchange.FailedFiles(), Does.Contain("orders-1.xml"));
    }

    [Test]
    public async Task Status_files_from_1C_are_handed_off_marked_as_sale()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync("sale");

        var result = await driver.ExchangeFilesAsync("sale", [("orders-1.xml", Fixture("06_carono_orders_2.03_cp1251.xml"))]);

        Assert.That(result.Final.IsSuccess, Is.True, result.Final.ToString());
        var message = exchange.Sink.Messages.Single();
        Assert.That(message.Headers["onec-exchange"], Is.EqualTo("sale"));
        Assert.That(HoldingSink.TextOf(message), Does.Contain("Документ"), "windows-1251 decoded by its declaration");
    }

    [Test]
    public async Task Unknown_types_and_modes_fail_with_a_reason()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        using var driver = await exchange.LoggedInAsync();

        var badType = await driver.StepAsync("get_catalog", "init", null, null);
        var badMode = await driver.StepAsync("catalog", "query", null, null);

        Assert.That(badType.Detail, Does.Contain("type must be catalog or sale"));
        Assert.That(badMode.Detail, Does.Contain("mode 'query' is not part of the catalog exchange"));
    }
}
