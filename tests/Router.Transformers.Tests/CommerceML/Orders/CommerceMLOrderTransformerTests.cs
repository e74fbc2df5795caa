using System.Text.Json;
using System.Xml;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.CommerceML.Orders;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.CommerceML.Orders;

public class CommerceMLOrderTransformerTests
{
    private static readonly CommerceMLOrderTransformerFactory Factory = new();

    /// <summary>A company order as RouterJson writes the canonical Order record.</summary>
    private const string OrderJson = """
        {
          "number": "1001",
          "createdAt": "2024-05-06T07:30:00+00:00",
          "customer": { "id": "c-17", "name": "Иван Петров", "email": "ivan@example.ru", "phone": "+79001234567",
                        "companyName": "ООО Ромашка", "inn": "7701234567", "kpp": "770101001",
                        "address": { "city": "Москва", "street": "Тверская", "house": "1", "postalCode": "125009" } },
          "lines": [
            { "sku": "ART-1", "productId": "cbcf493f-55bc-11d9-848a-00112f43529a", "name": "Вентилятор",
              "quantity": 2, "unitPrice": { "amount": 1500, "currency": "RUB" }, "total": { "amount": 2900.5, "currency": "RUB" },
              "discount": { "amount": 99.5, "currency": "RUB" }, "vatRate": 20 },
            { "sku": "ART-2", "name": "Фильтр", "quantity": 1,
              "unitPrice": { "amount": 250, "currency": "RUB" }, "total": { "amount": 250, "currency": "RUB" } }
          ],
          "totals": { "goods": { "amount": 3150.5, "currency": "RUB" }, "delivery": { "amount": 300, "currency": "RUB" },
                      "discount": { "amount": 99.5, "currency": "RUB" }, "total": { "amount": 3450.5, "currency": "RUB" } },
          "delivery": { "method": "cdek", "tariff": "136" },
          "payment": { "method": "online" },
          "comment": "Позвонить заранее"
        }
        """;

    private static Envelope Write(string options = "{}", string json = OrderJson) =>
        Steps.Create(Factory, options).Single(TestMessages.Envelope(json) with { EntityKey = "order:1001" });

    private static string TextOf(Envelope envelope) => envelope.Payload.GetProperty("text").GetString()!;

    [Test]
    public void Carries_the_file_name_encoding_and_headers()
    {
        var output = Write();

        Assert.That(output.Type, Is.EqualTo(MessageTypes.OrderCreated));
        Assert.That(output.MessageId, Is.EqualTo("msg-1"));
        Assert.That(output.EntityKey, Is.EqualTo("order:1001"));
        Assert.That(output.Headers["content-type"], Is.EqualTo("application/xml"));
        Assert.That(output.Headers["file-name"], Is.EqualTo("orders-1001.xml"));
        Assert.That(output.Headers["X-Source"], Is.EqualTo("test"));
        Assert.That(output.Payload.GetProperty("fileName").GetString(), Is.EqualTo("orders-1001.xml"));
        Assert.That(output.Payload.GetProperty("encoding").GetString(), Is.EqualTo("utf-8"));
        Assert.That(TextOf(output), Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.05\""));
    }

    [Test]
    public void Round_trips_through_the_status_reader()
    {
        var text = TextOf(Write());

        var file = CommerceMLFixtures.Envelope("orders-1001.xml", text);
        var envelope = CommerceMLOrderStatusTransformerTests.Run(file).Single();
        var status = CommerceMLOrderStatusTransformerTests.StatusOf(envelope);

        Assert.That(envelope.EntityKey, Is.EqualTo("order:1001"));
        Assert.That(status.Status, Is.EqualTo("new"));
        Assert.That(status.ChangedAt, Is.EqualTo(new DateTimeOffset(2024, 5, 6, 7, 30, 0, TimeSpan.Zero)));
        Assert.That(status.Requisites, Is.EqualTo(new Dictionary<string, string>
        {
            ["Метод оплаты"] = "online",
            ["Способ доставки"] = "cdek",
            ["Заказ оплачен"] = "false",
            ["Отменен"] = "false",
        }));
    }

    [Test]
    public void Writes_the_document_amounts_goods_and_counterparty()
    {
        var text = TextOf(Write());
        var values = ReadDocument(text);

        Assert.That(values["КоммерческаяИнформация/@ДатаФормирования"], Is.EqualTo(["2024-05-06T07:08:09"]), "envelope time in Moscow");
        Assert.That(values["Документ/Ид"], Is.EqualTo(["1001"]));
        Assert.That(values["Документ/Дата"], Is.EqualTo(["2024-05-06"]));
        Assert.That(values["Документ/Время"], Is.EqualTo(["10:30:00"]));
        Assert.That(values["Документ/ХозОперация"], Is.EqualTo(["Заказ товара"]));
        Assert.That(values["Документ/Валюта"], Is.EqualTo(["руб"]));
        Assert.That(values["Документ/Сумма"], Is.EqualTo(["3450.50"]));
        Assert.That(values["Документ/Комментарий"], Is.EqualTo(["Позвонить заранее"]));
        Assert.That(values["Контрагент/ИНН"], Is.EqualTo(["7701234567"]));
        Assert.That(values["Контрагент/КПП"], Is.EqualTo(["770101001"]));
        Assert.That(values["Контрагент/Наименование"], Is.EqualTo(["ООО Ромашка"]));
        Assert.That(values["Контрагент/Роль"], Is.EqualTo(["Покупатель"]));
        Assert.That(values["АдресРегистрации/Представление"], Is.EqualTo(["125009, Москва, Тверская, 1"]));
        Assert.That(values["Контакт/Значение"], Is.EqualTo(["ivan@example.ru", "+79001234567"]));
        Assert.That(values["Товар/Ид"], Is.EqualTo(["cbcf493f-55bc-11d9-848a-00112f43529a", "ART-2", "ORDER_DELIVERY"]));
        Assert.That(values["Товар/Артикул"], Is.EqualTo(["ART-1", "ART-2"]));
        Assert.That(values["Товар/ЦенаЗаЕдиницу"], Is.EqualTo(["1500.00", "250.00", "300.00"]));
        Assert.That(values["Товар/Количество"], Is.EqualTo(["2.00", "1.00", "1.00"]));
        Assert.That(values["Товар/Сумма"], Is.EqualTo(["2900.50", "250.00", "300.00"]));
        Assert.That(values["Скидка/Сумма"], Is.EqualTo(["99.50"]));
        Assert.That(values["БазоваяЕдиница/@Код"], Is.EqualTo(["796", "796", "796"]));
    }

    [Test]
    public void A_private_buyer_gets_no_INN_and_free_delivery_no_service_line()
    {
        var json = OrderJson
            .Replace("\"companyName\": \"ООО Ромашка\", \"inn\": \"7701234567\", \"kpp\": \"770101001\",", "")
            .Replace("\"delivery\": { \"amount\": 300", "\"delivery\": { \"amount\": 0");

        var values = ReadDocument(TextOf(Write(json: json)));

        Assert.That(values.ContainsKey("Контрагент/ИНН"), Is.False);
        Assert.That(values["Контрагент/Наименование"], Is.EqualTo(["Иван Петров"]));
        Assert.That(values["Товар/Ид"], Has.Count.EqualTo(2));
    }

    [Test]
    public void Declares_windows_1251_when_asked()
    {
        var output = Write("{ encoding: windows-1251 }");

        Assert.That(output.Payload.GetProperty("encoding").GetString(), Is.EqualTo("windows-1251"));
        Assert.That(TextOf(output), Does.StartWith("<?xml version=\"1.0\" encoding=\"windows-1251\"?>"));
        // The declaration and the text agree once the endpoint encodes: the bytes parse back to the same names.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var bytes = System.Text.Encoding.GetEncoding(1251).GetBytes(TextOf(output));
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        reader.ReadToFollowing("ХозОперация");
        Assert.That(reader.ReadElementContentAsString(), Is.EqualTo("Заказ товара"));
    }

    [Test]
    public void Is_deterministic()
    {
        Assert.That(TestMessages.Json(Write().Payload), Is.EqualTo(TestMessages.Json(Write().Payload)));
    }

    [Test]
    public void An_order_without_lines_is_rejected()
    {
        var json = RouterJson.ParseElement(OrderJson);
        var withoutLines = JsonSerializer.Serialize(
            json.EnumerateObject().Where(p => p.Name != "lines").ToDictionary(p => p.Name, p => p.Value));

        var failure = Assert.Throws<PermanentFailureException>(() => Write(json: withoutLines));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.SchemaViolation));
        Assert.That(failure.Message, Does.Contain("'lines'"));
    }

    [Test]
    public void Totals_with_only_the_total_are_enough_and_the_goods_sum_comes_from_the_lines()
    {
        const string json = """
            { "number": "77", "customer": { "id": "c-1", "name": "Иван Петров" },
              "lines": [ { "sku": "A", "name": "Вентилятор", "quantity": 2, "unitPrice": { "amount": 10 }, "total": { "amount": 20 } },
                         { "sku": "B", "name": "Фильтр", "quantity": 1, "unitPrice": { "amount": 5 }, "total": { "amount": 5 } } ],
              "totals": { "total": { "amount": 25, "currency": "RUB" } } }
            """;

        var text = TextOf(Write(json: json));

        Assert.That(text, Does.Contain("<Сумма>25.00</Сумма>"));
        Assert.That(text, Does.Not.Contain("Доставка заказа"), "no delivery sum is no delivery line");
    }

    [TestCase("\"unitPrice\": { \"amount\": 10 }", "\"totals\": { \"goods\": { \"amount\": 25 } }", "'totals.total'")]
    [TestCase("\"unitPrice\": { \"amount\": 10 }", "\"totals\": null", "'totals'")]
    [TestCase("\"unitPrice\": null", "\"totals\": { \"total\": { \"amount\": 25 } }", "lines[0] has no 'unitPrice'")]
    public void Missing_money_is_named(string unitPrice, string totals, string named)
    {
        var json = $$"""
            { "number": "77", "customer": { "id": "c-1", "name": "Иван Петров" },
              "lines": [ { "sku": "A", "name": "Вентилятор", "quantity": 2, {{unitPrice}}, "total": { "amount": 20 } } ],
              {{totals}} }
            """;

        var failure = Assert.Throws<PermanentFailureException>(() => Write(json: json));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.SchemaViolation));
        Assert.That(failure.Message, Does.Contain(named));
    }

    [Test]
    public void An_order_without_a_number_is_rejected()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => Write(json: OrderJson.Replace("\"number\": \"1001\",", "")));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.SchemaViolation));
        Assert.That(failure.Message, Does.Contain("'number'"));
    }

    [Test]
    public void An_unknown_encoding_is_a_config_error()
    {
        Assert.Throws<Router.Core.Config.ConfigException>(() => Steps.Create(Factory, "{ encoding: koi8-r }"));
    }

    /// <summary>
    /// Text by "parent/element" and attributes by "element/@attribute", in document order, read with a plain
    /// XmlReader so the writer is checked independently of the status reader.
    /// </summary>
    private static Dictionary<string, List<string>> ReadDocument(string text)
    {
        var values = new Dictionary<string, List<string>>();
        var names = new Stack<string>();
        using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                var name = reader.LocalName;
                var empty = reader.IsEmptyElement;
                for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
                {
                    Add(values, $"{name}/@{reader.LocalName}", reader.Value);
                }
                reader.MoveToElement();
                if (!empty)
                {
                    names.Push(name);
                }
            }
            else if (reader.NodeType == XmlNodeType.Text)
            {
                var element = names.Pop();
                Add(values, $"{names.Peek()}/{element}", reader.Value);
                names.Push(element);
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                names.Pop();
            }
        }
        return values;
    }

    private static void Add(Dictionary<string, List<string>> values, string key, string value)
    {
        if (!values.TryGetValue(key, out var list))
        {
            values[key] = list = [];
        }
        list.Add(value);
    }
}
