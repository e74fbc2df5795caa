using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.CommerceML.Orders;
using Router.Transformers.Tests.Support;
using static Router.Transformers.Tests.CommerceML.Orders.OrderFixtures;

namespace Router.Transformers.Tests.CommerceML.Orders;

public class CommerceMLOrderStatusTransformerTests
{
    private static readonly CommerceMLOrderStatusTransformerFactory Factory = new();
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    internal static IReadOnlyList<Envelope> Run(Envelope input, string options = "{}") =>
        Steps.Create(Factory, options).Transform(input, TransformContext.Standalone);

    internal static OrderStatus StatusOf(Envelope envelope) => RouterJson.Deserialize<OrderStatus>(envelope.Payload.GetRawText());

    [Test]
    public void Reads_the_Bitrix_status_requisite_of_an_utf8_2_03_order()
    {
        var envelope = Run(Utf8(Orders203)).Single();

        Assert.That(envelope.Type, Is.EqualTo(MessageTypes.OrderStatus));
        Assert.That(envelope.MessageId, Is.EqualTo("file-1#36"));
        Assert.That(envelope.EntityKey, Is.EqualTo("order:36"));
        Assert.That(envelope.EntityVersion, Is.Null);
        Assert.That(envelope.CausationId, Is.EqualTo("file-1"));
        var status = StatusOf(envelope);
        Assert.That(status.OrderNumber, Is.EqualTo("36"));
        Assert.That(status.Status, Is.EqualTo("[N] Принят"));
        Assert.That(status.ExternalNumber, Is.Null);
        Assert.That(status.Posted, Is.False);
        Assert.That(status.DeletionMark, Is.False);
        Assert.That(status.ChangedAt, Is.EqualTo(new DateTimeOffset(2007, 10, 30, 15, 19, 27, Moscow)));
        Assert.That(status.Requisites["Дата изменения статуса"], Is.EqualTo("2007-10-30 15:19:27"));
        Assert.That(status.Requisites["Финальный статус"], Is.EqualTo("false"));
    }

    [Test]
    public void Reads_a_windows_1251_order_with_a_final_status()
    {
        var status = StatusOf(Run(Cp1251(Orders203Cp1251)).Single());

        Assert.That(status.OrderNumber, Is.EqualTo("20"));
        Assert.That(status.Status, Is.EqualTo("[F] Доставлен"));
        Assert.That(status.Requisites["Заказ оплачен"], Is.EqualTo("true"));
        Assert.That(status.ChangedAt, Is.EqualTo(new DateTimeOffset(2007, 10, 16, 15, 40, 40, Moscow)));
    }

    [Test]
    public void Splits_a_Bitrix_query_response_into_one_status_per_order()
    {
        var output = Run(Cp1251(BitrixQuery205));

        Assert.That(output.Select(e => e.EntityKey), Is.EqualTo(new[] { "order:132", "order:133" }));
        var first = StatusOf(output[0]);
        Assert.That(first.Status, Is.EqualTo("[N] Принят, ожидается оплата"));
        Assert.That(first.Requisites["Способ доставки"], Is.EqualTo("Самовывоз"));
        Assert.That(first.Requisites["Комментарии покупателя"], Is.EqualTo("Я повелитель порошочков"));
        Assert.That(first.ChangedAt, Is.EqualTo(new DateTimeOffset(2021, 2, 11, 18, 45, 21, Moscow)));
    }

    [Test]
    public void Reads_1C_numbers_posting_and_data_version_of_a_namespaced_2_09_file()
    {
        var output = Run(Utf8(Documents209));

        Assert.That(output.Select(e => e.EntityKey), Is.EqualTo(new[] { "order:142", "order:235" }));
        var status = StatusOf(output[0]);
        Assert.That(status.ExternalNumber, Is.EqualTo("ТДЦУ-000001"));
        Assert.That(status.ExternalDate, Is.EqualTo(new DateTimeOffset(2015, 6, 29, 0, 0, 0, Moscow)));
        Assert.That(status.Posted, Is.True);
        Assert.That(status.DeletionMark, Is.False);
        Assert.That(status.Status, Is.EqualTo("confirmed"), "no Статус заказа, so posting decides");
        Assert.That(status.Requisites["Номер отгрузки по 1С"], Is.EqualTo("ТДЦУ-000003"));
        Assert.That(status.Requisites, Does.Not.ContainKey("ВидНоменклатуры"), "line requisites are not the order's");
        // "AAAAEAAAAAA=" is 00 00 00 10 00 00 00 00 read big-endian.
        Assert.That(output[0].EntityVersion, Is.EqualTo(0x10_0000_0000L));
        Assert.That(StatusOf(output[1]).ExternalNumber, Is.EqualTo("ТДЦУ-000002"));
    }

    [Test]
    public void A_deletion_mark_cancels_and_requisites_give_the_1C_number_and_date()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <КоммерческаяИнформация ВерсияСхемы="2.08">
              <Документ>
                <НомерВерсии>7</НомерВерсии>
                <ПометкаУдаления>true</ПометкаУдаления>
                <Номер>501</Номер>
                <Дата>2024-05-06</Дата>
                <Время>10:11:12</Время>
                <ХозОперация>Заказ товара</ХозОперация>
                <ЗначенияРеквизитов>
                  <ЗначениеРеквизита><Наименование>Номер по 1С</Наименование><Значение>УТ-42</Значение></ЗначениеРеквизита>
                  <ЗначениеРеквизита><Наименование>Дата по 1С</Наименование><Значение>2024-05-07T08:09:10</Значение></ЗначениеРеквизита>
                  <ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>true</Значение></ЗначениеРеквизита>
                </ЗначенияРеквизитов>
              </Документ>
              <Документ>
                <Номер>502</Номер>
                <ХозОперация>Выплата наличных денег</ХозОперация>
              </Документ>
            </КоммерческаяИнформация>
            """;

        var envelope = Run(CommerceMLFixtures.Envelope("orders.xml", xml), "{ offset: '+05:00' }").Single();

        Assert.That(envelope.EntityVersion, Is.EqualTo(7));
        var status = StatusOf(envelope);
        Assert.That(status.DeletionMark, Is.True);
        Assert.That(status.Posted, Is.True);
        Assert.That(status.Status, Is.EqualTo("cancelled"));
        Assert.That(status.ExternalNumber, Is.EqualTo("УТ-42"));
        Assert.That(status.ExternalDate, Is.EqualTo(new DateTimeOffset(2024, 5, 7, 8, 9, 10, TimeSpan.FromHours(5))));
        Assert.That(status.ChangedAt, Is.EqualTo(new DateTimeOffset(2024, 5, 6, 10, 11, 12, TimeSpan.FromHours(5))));
    }

    [Test]
    public void An_order_without_flags_or_status_is_new()
    {
        const string xml = "<КоммерческаяИнформация><Документ><Номер>7</Номер><ХозОперация>Заказ товара</ХозОперация></Документ></КоммерческаяИнформация>";

        var status = StatusOf(Run(CommerceMLFixtures.Envelope("o.xml", xml)).Single());

        Assert.That(status.Status, Is.EqualTo("new"));
        Assert.That(status.ChangedAt, Is.Null);
    }

    [Test]
    public void Malformed_xml_names_the_file_line_and_position()
    {
        const string xml = "<КоммерческаяИнформация>\n<Документ><Номер>7</Номер>\n</КоммерческаяИнформация>";

        var failure = Assert.Throws<PermanentFailureException>(() => Run(CommerceMLFixtures.Envelope("broken.xml", xml)));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(failure.Message, Does.Match(@"^broken\.xml: line 3, position \d+: "));
    }

    [Test]
    public void A_DTD_is_refused()
    {
        const string xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><КоммерческаяИнформация/>";

        var failure = Assert.Throws<PermanentFailureException>(() => Run(CommerceMLFixtures.Envelope("dtd.xml", xml)));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        // XmlReader reports a prohibited DTD without a position, so only the file is asserted.
        Assert.That(failure.Message, Does.StartWith("dtd.xml: ").And.Contain("DTD"));
    }

    [Test]
    public void A_document_without_a_number_is_a_schema_violation()
    {
        const string xml = "<КоммерческаяИнформация>\n<Документ><ХозОперация>Заказ товара</ХозОперация></Документ></КоммерческаяИнформация>";

        var failure = Assert.Throws<PermanentFailureException>(() => Run(CommerceMLFixtures.Envelope("n.xml", xml)));

        Assert.That(failure!.Code, Is.EqualTo(ErrorCodes.SchemaViolation));
        Assert.That(failure.Message, Does.Contain("n.xml: line 2").And.Contain("Номер"));
    }
}
