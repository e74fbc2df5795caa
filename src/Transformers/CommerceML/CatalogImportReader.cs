using System.Xml;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML;

/// <summary>What an import file held: its products in file order and whether the Каталог is a full export.</summary>
internal sealed record CatalogImport(IReadOnlyList<Product> Products, bool FullCatalog);

/// <summary>
/// Reads an import file forward-only. CommerceML puts the Классификатор before the Каталог, so every reference a Товар
/// makes is known by the time it is read; only one Группа, Свойство or Товар is held as a tree at a time.
/// </summary>
internal static class CatalogImportReader
{
    public static CatalogImport Read(CommerceMLInput input, long maxCharacters) => CommerceXml.Guard(input.FileName, () =>
    {
        var classifier = new Classifier();
        var products = new List<Product>();
        // A file without a Каталог (a classifier-only file) replaces nothing, so it does not count as full.
        bool? full = null;
        var path = new ElementPath();

        using var reader = CommerceXml.Open(input.Text, maxCharacters);
        while (reader.Read())
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
                    classifier.AddGroup(CommerceXml.LoadElement(reader));
                    break;
                case "Свойство" when path.IsUnder("Классификатор", "Свойства"):
                    classifier.AddProperty(CommerceXml.LoadElement(reader));
                    break;
                case "Каталог":
                    // СодержитТолькоИзменения absent means a full export (the standard's default).
                    full = !string.Equals(reader.GetAttribute("СодержитТолькоИзменения")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
                    break;
                case "Товар" when path.IsUnder("Каталог", "Товары"):
                    products.Add(ProductReader.Read(CommerceXml.LoadElement(reader), classifier, input.FileName));
                    break;
            }
        }
        return new CatalogImport(products, full ?? false);
    });
}
