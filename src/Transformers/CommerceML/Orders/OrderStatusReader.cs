using System.Buffers.Binary;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Router.Core.Canonical;
using Router.Core.Failures;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// Maps one order Документ to an <see cref="OrderStatus"/>. 2.09 exports from 1C carry Номер1С/Дата1С/Проведен as
/// elements; older Bitrix-era configurations put the same facts in ЗначенияРеквизитов, so both are read.
/// </summary>
internal static class OrderStatusReader
{
    public static OrderDocument Read(XElement document, string fileName, TimeSpan offset)
    {
        var number = document.ChildText("Номер") ?? throw Missing(document, fileName, "Номер");
        var requisites = OrderRequisites.Read(document);
        var posted = IsTrue(document.ChildText("Проведен")) || IsTrue(requisites.GetValueOrDefault("Проведен"));
        var deleted = IsTrue(document.ChildText("ПометкаУдаления"));
        var status = new OrderStatus
        {
            OrderNumber = number,
            ExternalNumber = document.ChildText("Номер1С") ?? CommerceXml.NonEmpty(requisites.GetValueOrDefault("Номер по 1С")),
            ExternalDate = CommerceDates.Parse(document.ChildText("Дата1С"), document.ChildText("Время1С"), offset)
                ?? CommerceDates.Parse(CommerceXml.NonEmpty(requisites.GetValueOrDefault("Дата по 1С")), null, offset),
            Posted = posted,
            DeletionMark = deleted,
            Status = OrderStatusRules.Decide(requisites, posted, deleted),
            ChangedAt = CommerceDates.Parse(document.ChildText("Дата"), document.ChildText("Время"), offset),
            Requisites = requisites,
        };
        return new OrderDocument(status, DataVersion(document.ChildText("НомерВерсии")));
    }

    public static bool IsTrue(string? text) =>
        text is not null && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1"
            || text.Equals("да", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// 1C's НомерВерсии is its DataVersion: eight bytes, base64 ("AAAAEAAAAAA="), read big-endian it grows with each
    /// write of the object. Some exporters write a plain number instead. Anything else leaves the version absent.
    /// </summary>
    public static long? DataVersion(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            return plain;
        }
        Span<byte> bytes = stackalloc byte[16];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == sizeof(long)
            ? BinaryPrimitives.ReadInt64BigEndian(bytes)
            : null;
    }

    private static PermanentFailureException Missing(XElement document, string fileName, string field)
    {
        var line = (IXmlLineInfo)document;
        return new PermanentFailureException(ErrorCodes.SchemaViolation,
            $"{fileName}: line {line.LineNumber}, position {line.LinePosition}: the order Документ has no {field}");
    }
}
