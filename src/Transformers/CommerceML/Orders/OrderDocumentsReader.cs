using System.Xml;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// Reads an orders file forward-only, holding one Документ as a tree at a time: 1C exports of a busy period carry
/// thousands of orders. Documents sit directly under КоммерческаяИнформация (2.x) or in a Контейнер (3.x packages).
/// </summary>
internal static class OrderDocumentsReader
{
    public const string OrderOperation = "Заказ товара";

    public static IReadOnlyList<OrderDocument> Read(CommerceMLInput input, long maxCharacters, TimeSpan offset) =>
        CommerceXml.Guard(input.FileName, () =>
        {
            var documents = new List<OrderDocument>();
            var path = new ElementPath();
            using var reader = CommerceXml.Open(input.Text, maxCharacters);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                path.Enter(reader);
                if (reader.LocalName == "Документ" && (path.IsUnder("КоммерческаяИнформация") || path.IsUnder("Контейнер")))
                {
                    var element = CommerceXml.LoadElement(reader);
                    // Payments and shipments travel in the same files; only orders become order.status.
                    if (element.ChildText("ХозОперация") == OrderOperation)
                    {
                        documents.Add(OrderStatusReader.Read(element, input.FileName, offset));
                    }
                }
            }
            return (IReadOnlyList<OrderDocument>)documents;
        });
}
