using System.Xml;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML;

/// <summary>One Товар of an import file and whether its Каталог is a full export.</summary>
internal readonly record struct CatalogItem(Product Product, bool FullCatalog);

/// <summary>
/// Reads an import file forward-only and lazily. CommerceML puts the Классификатор before the Каталог, so every
/// reference a Товар makes is known by the time it is read; only one Группа, Свойство or Товар is held as a tree at a
/// time, and a product is handed out before the next is read, so memory does not grow with the file.
/// </summary>
internal static class CatalogImportReader
{
    public static IEnumerable<CatalogItem> Read(TextReader text, string fileName, long maxCharacters)
    {
        var classifier = new Classifier();
        var full = false;
        var path = new ElementPath();

        using var reader = CommerceXml.Guard(fileName, (text, maxCharacters), static s => CommerceXml.Open(s.text, s.maxCharacters));
        while (CommerceXml.Guard(fileName, reader, static r => r.Read()))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            path.Enter(reader);
            switch (reader.LocalName)
            {
                // Nested groups are read with their top-level group, which knows the parent.
                case "Группа" when path.IsUnder("Классификатор", "Группы"):
                    classifier.AddGroup(LoadElement(fileName, reader));
                    break;
                case "Свойство" when path.IsUnder("Классификатор", "Свойства"):
                    classifier.AddProperty(LoadElement(fileName, reader));
                    break;
                case "Каталог":
                    // СодержитТолькоИзменения absent means a full export (the standard's default).
                    full = !string.Equals(reader.GetAttribute("СодержитТолькоИзменения")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
                    break;
                case "Товар" when path.IsUnder("Каталог", "Товары"):
                    yield return new CatalogItem(CommerceXml.Guard(fileName, (reader, classifier, fileName), static s => ProductReader.Read(s.reader, s.classifier, s.fileName)), full);
                    break;
            }
        }
    }

    private static System.Xml.Linq.XElement LoadElement(string fileName, XmlReader reader) =>
        CommerceXml.Guard(fileName, reader, CommerceXml.LoadElement);
}
