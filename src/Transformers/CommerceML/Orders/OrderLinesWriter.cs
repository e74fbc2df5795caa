using System.Xml;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>Товары/Товар for the order lines, plus delivery as a service line: 1C bills it like any other item.</summary>
internal static class OrderLinesWriter
{
    public static void Write(XmlWriter xml, Order order)
    {
        xml.WriteStartElement("Товары");
        foreach (var line in order.Lines)
        {
            WriteLine(xml, line);
        }
        if (DeliveryCost(order) is { } cost and > 0)
        {
            WriteItem(xml, OrderDocumentWriter.DeliveryItemId, null, "Доставка заказа", cost, 1m, cost, "Услуга");
        }
        xml.WriteEndElement();
    }

    /// <summary>Totals are authoritative; the delivery block's cost covers producers that leave totals' delivery at 0.</summary>
    private static decimal? DeliveryCost(Order order) =>
        order.Totals.Delivery.Amount > 0 ? order.Totals.Delivery.Amount : order.Delivery?.Cost?.Amount;

    private static void WriteLine(XmlWriter xml, OrderLine line)
    {
        // 1C matches the item by Ид (its own GUID, which the site keeps as productId); the SKU is the fallback key.
        WriteItem(xml, line.ProductId ?? line.Sku, line.Sku, line.Name, line.UnitPrice.Amount, line.Quantity, line.Total.Amount, "Товар",
            line.Discount);
    }

    private static void WriteItem(XmlWriter xml, string id, string? article, string name, decimal price, decimal quantity,
        decimal total, string kind, Money? discount = null)
    {
        xml.WriteStartElement("Товар");
        xml.WriteElementString("Ид", id);
        if (article is not null)
        {
            xml.WriteElementString("Артикул", article);
        }
        xml.WriteElementString("Наименование", name);
        xml.WriteStartElement("БазоваяЕдиница");
        xml.WriteAttributeString("Код", "796");
        xml.WriteAttributeString("НаименованиеПолное", "Штука");
        xml.WriteAttributeString("МеждународноеСокращение", "PCE");
        xml.WriteString("шт");
        xml.WriteEndElement();
        xml.WriteElementString("ЦенаЗаЕдиницу", CommerceAmounts.Format(price));
        xml.WriteElementString("Количество", CommerceAmounts.Quantity(quantity));
        xml.WriteElementString("Сумма", CommerceAmounts.Format(total));
        if (discount is { Amount: > 0 })
        {
            xml.WriteStartElement("Скидки");
            xml.WriteStartElement("Скидка");
            xml.WriteElementString("Сумма", CommerceAmounts.Format(discount.Amount));
            // The line Сумма is already after the discount; without this 1C would subtract it twice.
            xml.WriteElementString("УчтеноВСумме", "true");
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteStartElement("ЗначенияРеквизитов");
        OrderDocumentWriter.Requisite(xml, "ВидНоменклатуры", kind);
        OrderDocumentWriter.Requisite(xml, "ТипНоменклатуры", kind);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
