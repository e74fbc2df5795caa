using System.Globalization;
using System.Text;
using System.Xml;

namespace Router.Endpoints.OneCHttp.Sale;

/// <summary>
/// The answer to 1C's <c>sale query</c>: one <c>КоммерческаяИнформация</c> holding every pending document, in
/// windows-1251 with the declaration and format attributes Bitrix's sale.export.1c writes. Characters windows-1251
/// lacks become character references, so the declaration and the bytes always agree.
/// </summary>
internal static class SaleQueryDocument
{
    public const string SchemaVersion = "2.05";
    public const string EncodingName = "windows-1251";

    public static byte[] Write(IEnumerable<SaleDocument> documents, DateTimeOffset generatedAt) =>
        Compose(generatedAt, xml =>
        {
            foreach (var document in documents)
            {
                using var reader = XmlReader.Create(new StringReader(document.Xml), SaleDocument.SafeSettings);
                reader.MoveToContent();
                xml.WriteNode(reader, defattr: true);
            }
        });

    /// <summary>
    /// The answer to <c>sale info</c>: the site's directories of statuses, payment systems and delivery services.
    /// The router keeps none (1C owns them), so they are empty, which 1C accepts.
    /// </summary>
    public static byte[] WriteDirectory(DateTimeOffset generatedAt) =>
        Compose(generatedAt, xml =>
        {
            xml.WriteStartElement("Справочник");
            xml.WriteElementString("Статусы", "");
            xml.WriteElementString("ПлатежныеСистемы", "");
            xml.WriteElementString("СлужбыДоставки", "");
            xml.WriteEndElement();
        });

    private static byte[] Compose(DateTimeOffset generatedAt, Action<XmlWriter> writeBody)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings
        {
            Encoding = Router.Endpoints.Shared.TextEncodings.Replacing(EncodingName),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
        }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(SaleDocument.RootName);
            xml.WriteAttributeString("ВерсияСхемы", SchemaVersion);
            xml.WriteAttributeString("ДатаФормирования", generatedAt.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("ФорматДаты", "ДФ=yyyy-MM-dd; ДЛФ=DT");
            xml.WriteAttributeString("ФорматВремени", "ДФ=ЧЧ:мм:сс; ДЛФ=T");
            xml.WriteAttributeString("РазделительДатаВремя", "T");
            xml.WriteAttributeString("ФорматСуммы", "ЧЦ=18; ЧДЦ=2; ЧРД=.");
            xml.WriteAttributeString("ФорматКоличества", "ЧЦ=18; ЧДЦ=2; ЧРД=.");
            writeBody(xml);
            // An empty answer is the root with an end tag, as Bitrix writes it, not a self-closed element.
            xml.WriteFullEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }
}
