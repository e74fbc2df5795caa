using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Router.Integration.Tests.Support;
using Router.Sandbox.OneC.Driver;

namespace Router.Integration.Tests.OneC;

/// <summary>
/// A real <c>router run</c> (its own process) with an onec-http exchange endpoint on its HTTP listener, and the
/// sandbox's 1C driver on the other side: a catalogue upload becomes product files, and an order dropped for 1C
/// comes back from 1C's sale query in windows-1251 until 1C confirms it.
/// </summary>
public sealed class OneCExchangeEndToEndTests
{
    private const string User = "exchange";
    private const string Password = "e2e-Pa55";

    private const string OrderJson = """
        {
          "number": "1001",
          "createdAt": "2024-05-06T07:30:00+00:00",
          "customer": { "id": "c-17", "name": "Иван Петров", "email": "ivan@example.ru", "phone": "+79001234567" },
          "lines": [
            { "sku": "ART-1", "name": "Вентилятор", "quantity": 2,
              "unitPrice": { "amount": 1500, "currency": "RUB" }, "total": { "amount": 3000, "currency": "RUB" } }
          ],
          "totals": { "goods": { "amount": 3000, "currency": "RUB" }, "delivery": { "amount": 0, "currency": "RUB" },
                      "discount": { "amount": 0, "currency": "RUB" }, "total": { "amount": 3000, "currency": "RUB" } },
          "comment": "Позвонить заранее"
        }
        """;

    private static readonly Encoding Windows1251 = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1251);
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Catalog_upload_and_sale_query_through_a_running_router()
    {
        using var directory = new TemporaryDirectory();
        var port = FreePort.Next();
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, $$"""
            router:
              storage: { kind: sqlite, path: ./data/router.db }
              http: { listen: "http://127.0.0.1:{{port}}" }
            endpoints:
              onec:
                kind: onec-http
                mode: exchange
                user: {{User}}
                password: {{Password}}
                exchangeDir: ./data/onec
                type: file.received
                fileLimit: 8KB
                backgroundImportAbove: 16KB
              orders-inbox: { kind: folder, path: ./inbox, type: order.created, messageId: "$.number", entityKey: "'order:' + $.number", poll: 200ms }
              products: { kind: folder, path: ./products, fileName: "{entityKey}.json" }
            routes:
              - id: catalog-from-1c
                from: onec
                steps:
                  - filter: { when: "headers['onec-exchange'] == 'catalog'" }
                  - commerceml-catalog: {}
                to: [ products ]
              - id: orders-to-1c
                from: orders-inbox
                steps:
                  - commerceml-order: { encoding: windows-1251 }
                to: [ onec ]
            """);
        var validate = await Support.Cli.RunAsync("validate", "--config", config);
        Assert.That(validate.ExitCode, Is.EqualTo(0), validate.ToString());

        using var router = RouterProcess.Start(directory.Path, "run", "--config", config);
        var exchangeUrl = new Uri($"http://127.0.0.1:{port}/1c/exchange");
        using var catalog = new OneCExchangeDriver(exchangeUrl, User, Password) { PollPause = TimeSpan.FromMilliseconds(50) };
        await WaitForListenerAsync(router, catalog);

        // 1C uploads its catalogue: in 8 KB parts, imported in the background (progress, then success).
        var import = Path.Combine(RepositoryPaths.Shared, "fixtures", "commerceml", "04_carono_import_2.07.xml");
        var upload = await catalog.ExchangeFilesAsync("catalog", [("import.xml", await File.ReadAllBytesAsync(import))]);
        Assert.That(upload.Final.IsSuccess, Is.True, upload.Final + "\n" + router.Output);
        Assert.That(upload.ProgressAnswers, Is.GreaterThanOrEqualTo(1), "a file over backgroundImportAbove answers progress first");
        var expectedProducts = (await File.ReadAllTextAsync(import)).Split("<Товар>").Length - 1;
        await RouterFixture.EventuallyAsync(() => Task.FromResult(
            Directory.Exists(directory.Combine("products")) && Directory.GetFiles(directory.Combine("products")).Length == expectedProducts),
            "one product file per <Товар>");
        var skus = Directory.GetFiles(directory.Combine("products")).Select(p => JsonDocument.Parse(File.ReadAllText(p)).RootElement.GetProperty("sku").GetString());
        Assert.That(skus, Does.Contain("Б-130001"));

        // An order for 1C: converted to CommerceML, queued for the sale query.
        Directory.CreateDirectory(directory.Combine("inbox"));
        await File.WriteAllTextAsync(directory.Combine("inbox", "order-1001.json"), OrderJson);
        using var sale = new OneCExchangeDriver(exchangeUrl, User, Password);
        Assert.That((await sale.CheckAuthAsync("sale")).IsSuccess, Is.True);
        await sale.InitAsync("sale");
        SaleQueryReply? first = null;
        await RouterFixture.EventuallyAsync(async () => Numbers(first = await sale.QueryOrdersAsync()).Count > 0, "order 1001 offered to 1C");
        var second = await sale.QueryOrdersAsync();

        Assert.That(Numbers(first!), Is.EqualTo(new[] { "1001" }));
        Assert.That(Numbers(second), Is.EqualTo(new[] { "1001" }), "without success the same order is offered again");
        Assert.That(second.ContentType, Is.EqualTo("application/xml; charset=windows-1251"));
        Assert.That(Encoding.ASCII.GetString(second.Body).StartsWith("<?xml version=\"1.0\" encoding=\"windows-1251\"?>", StringComparison.Ordinal), Is.True);
        Assert.That(second.Body.AsSpan().IndexOf(Windows1251.GetBytes("Иван Петров")), Is.GreaterThan(0), "the customer's name in windows-1251 bytes");
        Assert.That(second.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes("Иван")), Is.EqualTo(-1), "and not in UTF-8");

        Assert.That((await sale.ConfirmOrdersAsync()).IsSuccess, Is.True);
        var afterSuccess = await sale.QueryOrdersAsync();
        Assert.That(Numbers(afterSuccess), Is.Empty, "after success nothing is pending");

        router.Terminate();
        var exit = await router.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.EqualTo(0), router.Output);
        Assert.That(router.Output, Does.Contain("HTTP listener stopped"));
        Assert.That(router.Output, Does.Not.Contain(Password), "the exchange password never reaches the log");
    }

    private static IReadOnlyList<string> Numbers(SaleQueryReply reply) =>
        XDocument.Parse(reply.Text).Root!.Elements().Where(e => e.Name.LocalName == "Документ")
            .Select(e => e.Elements().First(c => c.Name.LocalName == "Номер").Value).ToList();

    private static async Task WaitForListenerAsync(RouterProcess router, OneCExchangeDriver driver)
    {
        await RouterFixture.EventuallyAsync(async () =>
        {
            Assert.That(router.HasExited, Is.False, "the router exited early:\n" + router.Output);
            try
            {
                return (await driver.CheckAuthAsync("catalog")).IsSuccess;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the router's HTTP listener answering", TimeSpan.FromMinutes(2));
    }
}
