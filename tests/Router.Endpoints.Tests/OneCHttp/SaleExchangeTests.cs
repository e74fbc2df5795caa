using System.Text;
using System.Xml.Linq;
using Router.Sandbox.OneC.Driver;

namespace Router.Endpoints.Tests.OneCHttp;

/// <summary>1C's sale query/success against the queue that deliveries to an exchange endpoint fill.</summary>
public sealed class SaleExchangeTests
{
    private static readonly Encoding Windows1251 = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1251);
    }

    private static IReadOnlyList<string> Numbers(SaleQueryReply reply) =>
        XDocument.Parse(reply.Text).Root!.Elements().Where(e => e.Name.LocalName == "Документ").Select(e => e.Elements().First(c => c.Name.LocalName == "Номер").Value).ToList();

    [Test]
    public async Task The_query_answer_is_one_windows_1251_document_with_every_pending_order()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван Петров")));
        await exchange.DeliverAsync("m2", ExchangeHarness.Orders(("1002", "ООО «Ромашка» ✓")));
        using var driver = await exchange.LoggedInAsync("sale");

        var reply = await driver.QueryOrdersAsync();

        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.ContentType, Is.EqualTo("application/xml; charset=windows-1251"));
        Assert.That(Encoding.ASCII.GetString(reply.Body, 0, 44), Is.EqualTo("<?xml version=\"1.0\" encoding=\"windows-1251\"?>"[..44]));
        Assert.That(reply.Body, Is.EqualTo(Windows1251.GetBytes(Windows1251.GetString(reply.Body))), "every byte is windows-1251");
        var expectedName = Windows1251.GetBytes("Иван Петров");
        Assert.That(reply.Body.AsSpan().IndexOf(expectedName), Is.GreaterThan(0), "Cyrillic is written as windows-1251 bytes, not UTF-8");
        Assert.That(reply.Text, Does.Contain("&#x2713;").Or.Contain("&#10003;"), "a character windows-1251 lacks becomes a character reference");
        Assert.That(Numbers(reply), Is.EqualTo(new[] { "1001", "1002" }));
        Assert.That(XDocument.Parse(reply.Text).Root!.Attribute("ВерсияСхемы")!.Value, Is.EqualTo("2.05"));
    }

    [Test]
    public async Task Without_success_the_next_query_offers_the_same_orders_again_plus_new_ones()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван")));
        using var driver = await exchange.LoggedInAsync("sale");

        var first = await driver.QueryOrdersAsync();
        await exchange.DeliverAsync("m2", ExchangeHarness.Orders(("1002", "Пётр")));
        var second = await driver.QueryOrdersAsync();

        Assert.That(Numbers(first), Is.EqualTo(new[] { "1001" }));
        Assert.That(Numbers(second), Is.EqualTo(new[] { "1001", "1002" }));
    }

    [Test]
    public async Task Success_commits_what_the_last_query_offered_and_only_that()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван"), ("1002", "Пётр")));
        using var driver = await exchange.LoggedInAsync("sale");

        await driver.QueryOrdersAsync();
        await exchange.DeliverAsync("m3", ExchangeHarness.Orders(("1003", "Анна")));
        var success = await driver.ConfirmOrdersAsync();
        var next = await driver.QueryOrdersAsync();
        await driver.ConfirmOrdersAsync();
        var empty = await driver.QueryOrdersAsync();

        Assert.That(success.IsSuccess, Is.True);
        Assert.That(Numbers(next), Is.EqualTo(new[] { "1003" }), "the order queued after the query was not offered, so it stays");
        Assert.That(Numbers(empty), Is.Empty);
        Assert.That(XDocument.Parse(empty.Text).Root!.Name.LocalName, Is.EqualTo("КоммерческаяИнформация"));
    }

    [Test]
    public async Task A_redelivered_order_replaces_the_queued_one_and_a_change_after_the_query_survives_success()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван")));
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван")));
        using var driver = await exchange.LoggedInAsync("sale");

        var offered = await driver.QueryOrdersAsync();
        await exchange.DeliverAsync("m1-v2", ExchangeHarness.Orders(("1001", "Иван Иванович")));
        await driver.ConfirmOrdersAsync();
        var again = await driver.QueryOrdersAsync();

        Assert.That(Numbers(offered), Is.EqualTo(new[] { "1001" }), "a re-delivery replaces, it does not duplicate");
        Assert.That(Numbers(again), Is.EqualTo(new[] { "1001" }), "1C took the old version; the new one is offered next");
        Assert.That(again.Text, Does.Contain("Иван Иванович"));
    }

    [Test]
    public async Task The_queue_survives_a_new_endpoint_instance_on_the_same_folder()
    {
        await using var exchange = await ExchangeHarness.StartAsync();
        await exchange.DeliverAsync("m1", ExchangeHarness.Orders(("1001", "Иван")));
        var restarted = new Router.Endpoints.OneCHttp.Sale.SaleQueue(exchange.Services.FileSystem, exchange.Options.SaleDir, TimeProvider.System);

        var offer = await restarted.QueryAsync(CancellationToken.None);

        Assert.That(offer.Numbers, Is.EqualTo(new[] { "1001" }));
    }

    [Test]
    public async Task A_payload_without_a_CommerceML_document_is_a_permanent_failure_at_plan_time()
    {
        await using var exchange = await ExchangeHarness.StartAsync();

        var error = Assert.ThrowsAsync<Router.Core.Failures.PermanentFailureException>(() => exchange.DeliverAsync("m1", "<КоммерческаяИнформация/>"));

        Assert.That(error!.Code, Is.EqualTo("malformed-input"));
        Assert.That(error.Message, Does.Contain("no <Документ>"));
    }
}
