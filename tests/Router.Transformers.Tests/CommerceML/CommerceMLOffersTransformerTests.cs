using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.CommerceML;
using Router.Transformers.Tests.Support;
using static Router.Transformers.Tests.CommerceML.CommerceMLFixtures;

namespace Router.Transformers.Tests.CommerceML;

public class CommerceMLOffersTransformerTests
{
    private static readonly CommerceMLOffersTransformerFactory Factory = new();

    private static IReadOnlyList<Envelope> Run(Envelope input, string options = "{}") =>
        Steps.Create(Factory, options).Transform(input, TransformContext.Standalone);

    private static Offer OfferOf(IReadOnlyList<Envelope> output, string id) =>
        Offer(output.Single(e => e.EntityKey == "offer:" + id));

    [TestCaseSource(typeof(CommerceMLFixtures), nameof(OffersFiles))]
    public void Every_offers_fixture_gives_one_offer_per_Предложение(string file)
    {
        var expected = System.Text.RegularExpressions.Regex.Count(ReadText(file), "<Предложение[ >/]");

        var output = Run(File(file));

        Assert.That(output, Has.Count.EqualTo(expected));
        Assert.That(output.Select(e => e.Type), Is.All.EqualTo(MessageTypes.CatalogOffer));
    }

    [Test]
    public void Splits_a_characteristic_offer_and_maps_price_types_by_name_and_id()
    {
        const string id = "05e26d70-01e4-11dc-a411-00055d80a2d1#05e26d76-01e4-11dc-a411-00055d80a2d1";
        var output = Run(File(Offers204), "{ priceTypes: { Розничная: retail, cbcf495d-55bc-11d9-848a-00112f43529a: wholesale } }");

        var envelope = output.Single(e => e.EntityKey == "offer:" + id);
        Assert.That(envelope.MessageId, Is.EqualTo("file-1#" + id));
        Assert.That(envelope.CorrelationId, Is.EqualTo("corr-1"));
        var table = Offer(envelope);
        Assert.That(table.ProductId, Is.EqualTo("05e26d70-01e4-11dc-a411-00055d80a2d1"));
        Assert.That(table.CharacteristicId, Is.EqualTo("05e26d76-01e4-11dc-a411-00055d80a2d1"));
        Assert.That(table.Name, Is.EqualTo("Стол обеденный"));
        Assert.That(table.TotalQuantity, Is.EqualTo(0m));
        Assert.That(table.Prices, Is.EqualTo(new[]
        {
            new OfferPrice("Закупочная", new Money(4m, "USD"), "шт", 1m),
            new OfferPrice("Плановая", new Money(6m, "USD"), "шт", 1m),
            new OfferPrice("retail", new Money(7m, "RUB"), "шт", 1m),
            new OfferPrice("wholesale", new Money(5m, "USD"), "шт", 1m),
        }));
    }

    [Test]
    public void Only_mapped_price_types_are_kept_when_asked()
    {
        var output = Run(File(Offers204), "{ priceTypes: { Розничная: retail }, onlyMappedPriceTypes: true }");

        var table = OfferOf(output, "05e26d70-01e4-11dc-a411-00055d80a2d1#05e26d76-01e4-11dc-a411-00055d80a2d1");
        Assert.That(table.Prices.Select(p => p.PriceType), Is.EqualTo(new[] { "retail" }));
    }

    [Test]
    public void Reads_2_07_warehouse_stock_from_attributes_in_a_namespaced_file()
    {
        var boots = OfferOf(Run(File(Offers207), "{ priceTypes: { Розничная: retail } }"),
            "bd72d910-55bc-11d9-848a-00112f43529a#90c55447-d3a8-11e4-9423-e0cb4ed5eed4");

        Assert.That(boots.ProductId, Is.EqualTo("bd72d910-55bc-11d9-848a-00112f43529a"));
        Assert.That(boots.Name, Is.EqualTo("Женские ботфорты коричневые (38)"));
        Assert.That(boots.Prices, Is.EqualTo(new[] { new OfferPrice("retail", new Money(1719m, "RUB"), null, 1m) }));
        Assert.That(boots.Stock, Is.EqualTo(new[] { new OfferStock("b6112590-41ba-11dd-ac9d-0015e9b8c48d", 20m) }));
        Assert.That(boots.TotalQuantity, Is.EqualTo(20m));
    }

    [Test]
    public void Reads_a_3_1_rests_file_and_tolerates_comma_decimals_and_rouble_spellings()
    {
        var xml = """
            <КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_3" ВерсияСхемы="3.1">
              <ПакетПредложений СодержитТолькоИзменения="true">
                <ТипыЦен><ТипЦены><Ид>t1</Ид><Наименование>Оптовая1</Наименование><Валюта>643</Валюта></ТипЦены></ТипыЦен>
                <Предложения>
                  <Предложение>
                    <Ид>p1</Ид>
                    <Цены><Цена><ИдТипаЦены>t1</ИдТипаЦены><ЦенаЗаЕдиницу>1 234,50</ЦенаЗаЕдиницу></Цена></Цены>
                    <Остатки>
                      <Остаток><Склад><Ид>w1</Ид><Количество>3</Количество></Склад></Остаток>
                      <Остаток><Склад><Ид>w2</Ид><Количество>2,5</Количество></Склад></Остаток>
                    </Остатки>
                  </Предложение>
                </Предложения>
              </ПакетПредложений>
            </КоммерческаяИнформация>
            """;

        var offer = Offer(Run(Envelope("rests___1.xml", xml), "{ priceTypes: { Оптовая1: wholesale1 } }").Single());

        Assert.That(offer.ProductId, Is.EqualTo("p1"));
        Assert.That(offer.CharacteristicId, Is.Null);
        Assert.That(offer.Prices, Is.EqualTo(new[] { new OfferPrice("wholesale1", new Money(1234.50m, "RUB")) }));
        Assert.That(offer.Stock, Is.EqualTo(new[] { new OfferStock("w1", 3m), new OfferStock("w2", 2.5m) }));
    }

    [Test]
    public void A_price_that_is_not_a_number_names_the_offer()
    {
        var xml = """
            <КоммерческаяИнформация><ПакетПредложений><Предложения>
              <Предложение><Ид>p1</Ид><Цены><Цена><ИдТипаЦены>t1</ИдТипаЦены><ЦенаЗаЕдиницу>дорого</ЦенаЗаЕдиницу></Цена></Цены></Предложение>
            </Предложения></ПакетПредложений></КоммерческаяИнформация>
            """;

        var e = Assert.Throws<PermanentFailureException>(() => Run(Envelope("offers.xml", xml)))!;

        Assert.That(e.Message, Is.EqualTo("offers.xml: offer p1: ЦенаЗаЕдиницу 'дорого' is not a number"));
    }

    [Test]
    public void A_price_type_missing_from_ТипыЦен_is_kept_under_its_Ид()
    {
        var xml = """
            <КоммерческаяИнформация><ПакетПредложений><Предложения>
              <Предложение><Ид>p1#c1</Ид><Цены><Цена><ИдТипаЦены>t9</ИдТипаЦены><ЦенаЗаЕдиницу>10.5</ЦенаЗаЕдиницу><Валюта>руб.</Валюта></Цена></Цены></Предложение>
            </Предложения></ПакетПредложений></КоммерческаяИнформация>
            """;

        var offer = Offer(Run(Envelope("prices.xml", xml)).Single());

        Assert.That(offer.CharacteristicId, Is.EqualTo("c1"));
        Assert.That(offer.Prices, Is.EqualTo(new[] { new OfferPrice("t9", new Money(10.5m, "RUB")) }));
    }

    [Test]
    public void Malformed_xml_names_the_file_line_and_position()
    {
        var xml = "<КоммерческаяИнформация>\n<ПакетПредложений>\n<Предложения>\n<Предложение><Ид>1</Ид>\n</ПакетПредложений>";

        var e = Assert.Throws<PermanentFailureException>(() => Run(Envelope("offers.xml", xml)))!;

        Assert.That(e.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(e.Message, Does.Match(@"^offers\.xml: line 5, position \d+: "));
    }

    [Test]
    public void An_external_entity_is_rejected()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <КоммерческаяИнформация><ПакетПредложений><Предложения><Предложение><Ид>&xxe;</Ид></Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>
            """;

        var e = Assert.Throws<PermanentFailureException>(() => Run(Envelope("offers.xml", xml)))!;

        Assert.That(e.Message, Does.Contain("DTD is not allowed"));
    }

    [Test]
    public void The_same_file_gives_identical_output()
    {
        var first = Run(File(Offers207));
        var second = Run(File(Offers207));

        Assert.That(second.Select(e => e.MessageId + TestMessages.Json(e.Payload)),
            Is.EqualTo(first.Select(e => e.MessageId + TestMessages.Json(e.Payload))));
    }
}
