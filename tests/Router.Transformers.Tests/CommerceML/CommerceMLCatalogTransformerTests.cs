using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.CommerceML;
using Router.Transformers.Tests.Support;
using static Router.Transformers.Tests.CommerceML.CommerceMLFixtures;

namespace Router.Transformers.Tests.CommerceML;

public class CommerceMLCatalogTransformerTests
{
    private static readonly CommerceMLCatalogTransformerFactory Factory = new();

    private static IReadOnlyList<Envelope> Run(Envelope input, string options = "{}") =>
        Steps.Create(Factory, options).Transform(input, TransformContext.Standalone);

    private static Product ProductOf(IReadOnlyList<Envelope> output, string id) =>
        Product(output.Single(e => e.EntityKey == "product:" + id));

    [TestCaseSource(typeof(CommerceMLFixtures), nameof(ImportFiles))]
    public void Every_import_fixture_gives_one_product_per_Товар(string file)
    {
        var expected = System.Text.RegularExpressions.Regex.Count(ReadText(file), "<Товар[ >/]");

        var output = Run(File(file));

        Assert.That(output, Has.Count.EqualTo(expected));
        Assert.That(output.Select(e => e.Type), Is.All.EqualTo(MessageTypes.CatalogProduct));
        Assert.That(output.Select(e => Product(e).Id), Is.All.Not.Empty);
    }

    [Test]
    public void Reads_the_official_2_04_example_with_characteristic_ids_and_a_resolved_group()
    {
        var output = Run(File(Import204));

        var table = ProductOf(output, "05e26d70-01e4-11dc-a411-00055d80a2d1#05e26d76-01e4-11dc-a411-00055d80a2d1");
        Assert.That(table.Name, Is.EqualTo("Стол обеденный"));
        Assert.That(table.Unit, Is.EqualTo("Штука"));
        Assert.That(table.Groups, Is.EqualTo(new[] { new ProductGroup("05e26d6f-01e4-11dc-a411-00055d80a2d1", "Мебель") }));
        Assert.That(table.Pictures, Is.Empty, "an empty <Картинка/> is no picture");
        Assert.That(table.Requisites, Does.Contain(new ProductRequisite("Полное наименование", "Стол обеденный")));
        Assert.That(table.Active, Is.True);
    }

    [Test]
    public void Reads_every_field_whatever_unknown_empty_or_nested_elements_sit_between_them()
    {
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <КоммерческаяИнформация ВерсияСхемы="2.10">
              <Классификатор>
                <Свойства><Свойство><Ид>p1</Ид><Наименование>Цвет</Наименование><ВариантыЗначений>
                  <Справочник><ИдЗначения>v1</ИдЗначения><Значение>Красный</Значение></Справочник></ВариантыЗначений></Свойство></Свойства>
              </Классификатор>
              <Каталог>
                <Товары>
                  <Товар Статус="Активен">
                    <ХарактеристикиТовара><ХарактеристикаТовара><Наименование>Размер</Наименование><Значение>42</Значение></ХарактеристикаТовара></ХарактеристикиТовара>
                    <Ид>t1</Ид>
                    <Описание/>
                    <Артикул>A-1</Артикул>
                    <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>20</Ставка></СтавкаНалога></СтавкиНалогов>
                    <Наименование>Кеды <![CDATA[«Старт»]]></Наименование>
                    <Ид>ignored-second-id</Ид>
                    <БазоваяЕдиница Код="796">шт<Пересчет><Единица>796</Единица></Пересчет></БазоваяЕдиница>
                    <Картинка>a.jpg</Картинка><Картинка/><Картинка>b.jpg</Картинка>
                    <ЗначенияСвойств><Прочее/><ЗначенияСвойства><Ид>p1</Ид><Значение>v1</Значение></ЗначенияСвойства></ЗначенияСвойств>
                    <ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Вес</Наименование><Значение>0.5</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>
                    <ПометкаУдаления>false</ПометкаУдаления>
                  </Товар>
                  <Товар><Ид>t2</Ид><Статус>Удален</Статус></Товар>
                </Товары>
              </Каталог>
            </КоммерческаяИнформация>
            """;

        var output = Run(Envelope("import.xml", Xml));

        var shoe = ProductOf(output, "t1");
        Assert.That(shoe.Sku, Is.EqualTo("A-1"));
        Assert.That(shoe.Name, Is.EqualTo("Кеды «Старт»"));
        Assert.That(shoe.Description, Is.Null, "an empty <Описание/> is no description");
        Assert.That(shoe.Unit, Is.EqualTo("шт"), "the unit's own text, not its Пересчет");
        Assert.That(shoe.Pictures, Is.EqualTo(new[] { "a.jpg", "b.jpg" }));
        Assert.That(shoe.Properties, Is.EqualTo(new[] { new ProductProperty("p1", "Цвет", "Красный", "v1") }));
        Assert.That(shoe.Requisites, Is.EqualTo(new[] { new ProductRequisite("Вес", "0.5") }));
        Assert.That(shoe.Active, Is.True);
        Assert.That(ProductOf(output, "t2").Active, Is.False);
    }

    [Test]
    public void Envelope_identity_derives_from_the_file_message_and_the_Ид()
    {
        var output = Run(File(Import207));

        var boots = output.Single(e => e.EntityKey == "product:bd72d910-55bc-11d9-848a-00112f43529a");
        Assert.That(boots.MessageId, Is.EqualTo("file-1#bd72d910-55bc-11d9-848a-00112f43529a"));
        Assert.That(boots.CorrelationId, Is.EqualTo("corr-1"));
        Assert.That(boots.Type, Is.EqualTo(MessageTypes.CatalogProduct));
        Assert.That(boots.Headers[CommerceMLCatalogTransformer.FullCatalogHeader], Is.EqualTo("true"));
    }

    [Test]
    public void Resolves_2_07_properties_through_the_classifier_variants()
    {
        var boots = ProductOf(Run(File(Import207)), "bd72d910-55bc-11d9-848a-00112f43529a");

        Assert.That(boots.Sku, Is.EqualTo("Б-130001"));
        Assert.That(boots.Barcode, Is.EqualTo("2000018987155"));
        Assert.That(boots.Name, Is.EqualTo("Женские ботфорты коричневые"));
        Assert.That(boots.Unit, Is.EqualTo("Пара (2 шт.)"));
        Assert.That(boots.Description, Is.Null);
        Assert.That(boots.Groups, Is.EqualTo(new[] { new ProductGroup("e5a4c309-a659-11dd-acee-0015e9b8c48d", "Обувь", boots.Groups[0].ParentId) }));
        Assert.That(boots.Groups[0].ParentId, Is.Not.Null, "Обувь is nested in another group");
        Assert.That(boots.Properties, Does.Contain(new ProductProperty(
            "bb14a4b8-6b17-11e0-9819-e0cb4ed5eed4", "Производитель", "Обувной комбинат", "444bbea3-6b18-11e0-9819-e0cb4ed5eed4")));
        Assert.That(boots.Properties, Does.Contain(new ProductProperty(
            "444bbea0-6b18-11e0-9819-e0cb4ed5eed4", "Основной поставщик", "ООО Рога и копыта")));
        Assert.That(boots.Requisites, Does.Contain(new ProductRequisite("ВидНоменклатуры", "Обувь")));
        Assert.That(boots.Pictures, Has.Count.EqualTo(3));
        Assert.That(boots.Pictures[0], Is.EqualTo("import_files/9d/9da00149441011e19bb10015174048b8_0e01fd9e204611e8b2a794de807044d1.jpg"));
    }

    [Test]
    public void Reads_a_namespaced_UT11_export_with_a_BOM()
    {
        var withBom = "\uFEFF" + ReadText(Ut11Import);

        var mat = ProductOf(Run(Envelope(Ut11Import, withBom)), "bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1");

        Assert.That(mat.Sku, Is.EqualTo("PM-421-WP"));
        Assert.That(mat.Barcode, Is.EqualTo("8809288404089"));
        Assert.That(mat.Name, Is.EqualTo("Портативный коврик Portable 140x200x1 см, Деревянные лошадки"));
        Assert.That(mat.Unit, Is.EqualTo("Штука"));
        Assert.That(mat.Groups.Select(g => g.Name), Is.EqualTo(new[] { "Коврики для дома" }));
        Assert.That(mat.Properties, Does.Contain(new ProductProperty(
            "3268183f-18fa-11e7-80c2-0cc47ab29cd1", "Страна производства", "КОРЕЯ, РЕСПУБЛИКА", "af848a7e-18fa-11e7-80c2-0cc47ab29cd1")));
    }

    [Test]
    public void Reads_a_3_1_goods_file_without_a_classifier_as_a_partial_catalogue()
    {
        var output = Run(File(Products31));

        var scooter = ProductOf(output, "ac0184b3-7821-11e6-80ca-a72a8c906e0a");
        Assert.That(scooter.Name, Is.EqualTo("Гироскутер 10\""));
        Assert.That(scooter.Sku, Is.Null);
        Assert.That(scooter.Barcode, Is.Null);
        Assert.That(scooter.Unit, Is.EqualTo("796"));
        Assert.That(scooter.Active, Is.True);
        Assert.That(scooter.Groups, Is.EqualTo(new[] { new ProductGroup("dad4ab38-8d6c-11e7-80e5-9e70408b1b6c", "dad4ab38-8d6c-11e7-80e5-9e70408b1b6c") }),
            "without a classifier the group keeps its id as its name");
        Assert.That(scooter.Pictures, Has.Count.EqualTo(5));
        Assert.That(output.Single().Headers[CommerceMLCatalogTransformer.FullCatalogHeader], Is.EqualTo("false"));
    }

    [Test]
    public void An_item_with_the_Статус_Удален_attribute_in_a_UT11_export_is_inactive()
    {
        var rug = ProductOf(Run(File(Ut11Import)), "b631c9c1-49de-11e9-80c9-0cc47ab29cd1");

        Assert.That(rug.Sku, Is.EqualTo("KM-245-BC"));
        Assert.That(rug.Active, Is.False);
    }

    [TestCase("<ПометкаУдаления>true</ПометкаУдаления>")]
    [TestCase("<Статус>Удален</Статус>")]
    public void A_deleted_item_is_inactive(string mark)
    {
        var xml = $"""
            <КоммерческаяИнформация ВерсияСхемы="2.10"><Каталог><Товары>
              <Товар><Ид>p1</Ид><Наименование>Old</Наименование>{mark}</Товар>
            </Товары></Каталог></КоммерческаяИнформация>
            """;

        var product = Product(Run(Envelope("import.xml", xml)).Single());

        Assert.That(product.Active, Is.False);
    }

    [Test]
    public void A_catalogue_without_СодержитТолькоИзменения_is_full()
    {
        var xml = """
            <КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2"><Каталог><Товары>
              <Товар><Ид>p1</Ид><Наименование>A</Наименование><БазоваяЕдиница>шт</БазоваяЕдиница></Товар>
            </Товары></Каталог></КоммерческаяИнформация>
            """;

        var output = Run(Envelope("import.xml", xml)).Single();

        Assert.That(output.Headers[CommerceMLCatalogTransformer.FullCatalogHeader], Is.EqualTo("true"));
        Assert.That(Product(output).Unit, Is.EqualTo("шт"));
    }

    [Test]
    public void Malformed_xml_names_the_file_line_and_position()
    {
        var xml = "<КоммерческаяИнформация>\n<Каталог>\n<Товары></Каталог>\n</КоммерческаяИнформация>";

        var e = Assert.Throws<PermanentFailureException>(() => Run(Envelope("import0_1.xml", xml)))!;

        Assert.That(e.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(e.Message, Does.StartWith("import0_1.xml: line 3, position "));
    }

    [Test]
    public void An_entity_bomb_is_rejected_before_expansion()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <КоммерческаяИнформация><Каталог><Товары><Товар><Ид>&lol2;</Ид></Товар></Товары></Каталог></КоммерческаяИнформация>
            """;

        var e = Assert.Throws<PermanentFailureException>(() => Run(Envelope("import.xml", xml)))!;

        Assert.That(e.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(e.Message, Does.Contain("DTD is not allowed"));
    }

    [Test]
    public void A_file_over_maxSize_is_rejected()
    {
        var e = Assert.Throws<PermanentFailureException>(() => Run(File(Import207), "{ maxSize: 1KB }"))!;

        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TooLarge));
        Assert.That(e.Message, Does.StartWith(Import207 + ": line ").And.Contain("MaxCharactersInDocument"));
    }

    [Test]
    public void A_payload_without_text_says_what_was_expected()
    {
        var input = TestMessages.Envelope("""{ "fileName": "import.xml" }""");

        var e = Assert.Throws<PermanentFailureException>(() => Run(input))!;

        Assert.That(e.Message, Does.Contain("\"text\"").And.Contain("format: xml"));
    }

    [Test]
    public void The_same_file_gives_identical_output()
    {
        var first = Run(File(Ut11Import));
        var second = Run(File(Ut11Import));

        Assert.That(second.Select(Describe), Is.EqualTo(first.Select(Describe)));
    }

    [Test]
    public void Order_lines_of_a_documents_file_are_not_catalogue_items()
    {
        var output = Run(File("09_argentcrusade_documents_2.09.xml"));

        Assert.That(output, Is.Empty);
    }

    [Test]
    public void Null_options_mean_defaults()
    {
        var transformer = Factory.Create(Yaml.Parse("~"), Steps.Context());

        Assert.That(transformer.Transform(File(Import204), TransformContext.Standalone), Has.Count.EqualTo(4));
    }

    private static string Describe(Envelope e) =>
        $"{e.MessageId}|{e.EntityKey}|{string.Join(",", e.Headers.Select(h => h.Key + "=" + h.Value))}|{TestMessages.Json(e.Payload)}";
}
