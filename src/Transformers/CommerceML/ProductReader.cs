using System.Xml.Linq;
using Router.Core.Canonical;
using Router.Core.Failures;

namespace Router.Transformers.CommerceML;

/// <summary>Turns one Товар element into a canonical <see cref="Product"/>, resolving references through the classifier.</summary>
internal static class ProductReader
{
    public static Product Read(XElement item, Classifier classifier, string fileName)
    {
        var id = item.ChildText("Ид")
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{fileName}: a Товар without Ид{Where(item)}");
        return new Product
        {
            Id = id,
            Sku = item.ChildText("Артикул"),
            // A nameless item is still worth importing; its id is the only label 1C gave it.
            Name = item.ChildText("Наименование") ?? id,
            Description = item.ChildText("Описание"),
            Barcode = item.ChildText("Штрихкод"),
            Unit = Unit(item.Child("БазоваяЕдиница")),
            Groups = item.Children("Группы").SelectMany(g => g.Children("Ид"))
                .Select(g => CommerceXml.NonEmpty(g.Value)).OfType<string>().Select(classifier.Group).ToList(),
            Properties = Properties(item, classifier),
            Requisites = item.Children("ЗначенияРеквизитов").SelectMany(r => r.Children("ЗначениеРеквизита"))
                .Select(r => (Name: r.ChildText("Наименование"), Value: r.ChildText("Значение") ?? ""))
                .Where(r => r.Name is not null)
                .Select(r => new ProductRequisite(r.Name!, r.Value)).ToList(),
            Pictures = item.Children("Картинка").Select(p => CommerceXml.NonEmpty(p.Value)).OfType<string>().ToList(),
            Active = !IsDeleted(item),
        };
    }

    /// <summary>The full unit name when 1C gives one (НаименованиеПолное="Штука"), else the element's own text (шт).</summary>
    private static string? Unit(XElement? unit)
    {
        if (unit is null)
        {
            return null;
        }
        var ownText = CommerceXml.NonEmpty(string.Concat(unit.Nodes().OfType<XText>().Select(t => t.Value)));
        return unit.AttributeText("НаименованиеПолное") ?? ownText;
    }

    /// <summary>One property per Значение: a multi-valued property repeats Значение inside one ЗначенияСвойства.</summary>
    private static List<ProductProperty> Properties(XElement item, Classifier classifier)
    {
        var result = new List<ProductProperty>();
        foreach (var value in item.Children("ЗначенияСвойств").SelectMany(v => v.Children("ЗначенияСвойства")))
        {
            var id = value.ChildText("Ид");
            if (id is null)
            {
                continue;
            }
            var texts = value.Children("Значение").Select(v => CommerceXml.NonEmpty(v.Value)).ToList();
            if (texts.Count == 0)
            {
                texts.Add(null);
            }
            result.AddRange(texts.Select(text => classifier.Property(id, text)));
        }
        return result;
    }

    private static bool IsDeleted(XElement item) =>
        string.Equals(item.ChildText("ПометкаУдаления"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(item.ChildText("Статус"), "Удален", StringComparison.OrdinalIgnoreCase)
        || string.Equals(item.AttributeText("Статус"), "Удален", StringComparison.OrdinalIgnoreCase);

    private static string Where(XElement element) =>
        element is System.Xml.IXmlLineInfo { LineNumber: > 0 } info ? $" (line {info.LineNumber})" : "";
}
