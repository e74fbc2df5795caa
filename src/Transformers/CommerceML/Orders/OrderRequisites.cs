using System.Xml.Linq;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>The document's own ЗначенияРеквизитов (not those of its Товары) as name → value.</summary>
internal static class OrderRequisites
{
    public static Dictionary<string, string> Read(XElement document)
    {
        var requisites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var requisite in document.Child("ЗначенияРеквизитов")?.Children("ЗначениеРеквизита") ?? [])
        {
            if (requisite.ChildText("Наименование") is { } name)
            {
                // A later duplicate wins, as it would when 1C applies the list in order.
                requisites[name] = requisite.Child("Значение")?.Value.Trim() ?? "";
            }
        }
        return requisites;
    }
}
