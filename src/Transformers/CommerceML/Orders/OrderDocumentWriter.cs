using System.Text;
using System.Xml;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// Writes a canonical order as the CommerceML 2.05 document Bitrix's sale.export.1c produces, the shape every
/// 1C "Обмен с сайтом" configuration imports. Element order follows the 2.05 schema; 1C's reader is order-sensitive.
/// </summary>
internal sealed class OrderDocumentWriter(TimeSpan offset)
{
    public const string SchemaVersion = "2.05";
    public const string DeliveryItemId = "ORDER_DELIVERY";

    /// <summary>The whole file; <paramref name="generatedAt"/> is the envelope's time so the output is reproducible.</summary>
    public string Write(Order order, DateTimeOffset generatedAt, string encoding)
    {
        var text = new StringBuilder();
        // StringWriter would declare utf-16; the declaration must name the encoding the endpoint will write.
        text.Append("<?xml version=\"1.0\" encoding=\"").Append(encoding).Append("\"?>\n");
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
        }))
        {
            xml.WriteStartElement("КоммерческаяИнформация");
            xml.WriteAttributeString("ВерсияСхемы", SchemaVersion);
            xml.WriteAttributeString("ДатаФормирования", CommerceDates.Timestamp(generatedAt, offset));
            WriteDocument(xml, order);
            xml.WriteEndElement();
        }
        return text.Append('\n').ToString();
    }

    private void WriteDocument(XmlWriter xml, Order order)
    {
        xml.WriteStartElement("Документ");
        xml.WriteElementString("Ид", order.Number);
        xml.WriteElementString("Номер", order.Number);
        xml.WriteElementString("Дата", CommerceDates.Date(order.CreatedAt, offset));
        xml.WriteElementString("ХозОперация", OrderDocumentsReader.OrderOperation);
        xml.WriteElementString("Роль", "Продавец");
        xml.WriteElementString("Валюта", "руб");
        xml.WriteElementString("Курс", "1");
        xml.WriteElementString("Сумма", CommerceAmounts.Format(order.Totals.Total.Amount));
        CustomerWriter.Write(xml, order.Customer);
        xml.WriteElementString("Время", CommerceDates.Time(order.CreatedAt, offset));
        xml.WriteElementString("Комментарий", order.Comment ?? "");
        OrderLinesWriter.Write(xml, order);
        WriteRequisites(xml, order);
        xml.WriteEndElement();
    }

    private static void WriteRequisites(XmlWriter xml, Order order)
    {
        xml.WriteStartElement("ЗначенияРеквизитов");
        if (order.Payment is { } payment)
        {
            Requisite(xml, "Метод оплаты", payment.Method);
        }
        if (order.Delivery is { } delivery)
        {
            Requisite(xml, "Способ доставки", delivery.Method);
        }
        // A new order from the site: 1C sets payment and cancellation itself and reports them back.
        Requisite(xml, "Заказ оплачен", "false");
        Requisite(xml, "Отменен", "false");
        xml.WriteEndElement();
    }

    public static void Requisite(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("ЗначениеРеквизита");
        xml.WriteElementString("Наименование", name);
        xml.WriteElementString("Значение", value);
        xml.WriteEndElement();
    }
}
