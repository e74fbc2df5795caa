using System.Xml;
using Router.Core.Canonical;
using Router.Core.Failures;

namespace Router.Transformers.CommerceML;

/// <summary>
/// Turns one Товар into a canonical <see cref="Product"/> straight off the reader, resolving references through the
/// classifier. Products are most of an import file, so no tree is built for them (building one cost more than
/// tokenising the whole file); the first occurrence of a repeated single-valued element wins, as 1C's own loader does.
/// </summary>
internal static class ProductReader
{
    /// <summary>Reads the Товар the reader is on, leaving the reader on its end tag.</summary>
    public static Product Read(XmlReader reader, Classifier classifier, string fileName)
    {
        var line = reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
        var item = new ProductFields { StatusAttribute = reader.GetAttribute("Статус") };
        ForEachChild(reader, () =>
        {
            switch (reader.LocalName)
            {
                case "Ид": item.Id ??= ElementText(reader); break;
                case "Артикул": item.Sku ??= ElementText(reader); break;
                case "Наименование": item.Name ??= ElementText(reader); break;
                case "Описание": item.Description ??= ElementText(reader); break;
                case "Штрихкод": item.Barcode ??= ElementText(reader); break;
                case "ПометкаУдаления": item.DeletionMark ??= ElementText(reader); break;
                case "Статус": item.Status ??= ElementText(reader); break;
                case "БазоваяЕдиница": item.Unit ??= Unit(reader); break;
                case "Картинка": Add(item.Pictures, ElementText(reader)); break;
                case "Группы": ForEachChild(reader, "Ид", () => Add(item.GroupIds, ElementText(reader))); break;
                case "ЗначенияСвойств": ForEachChild(reader, "ЗначенияСвойства", () => PropertyValues(reader, classifier, item.Properties)); break;
                case "ЗначенияРеквизитов": ForEachChild(reader, "ЗначениеРеквизита", () => Requisite(reader, item.Requisites)); break;
                default: SkipElement(reader); break;
            }
        });
        var id = item.Id ?? throw new PermanentFailureException(ErrorCodes.MalformedInput,
            $"{fileName}: a Товар without Ид{(line > 0 ? $" (line {line})" : "")}");
        return new Product
        {
            Id = id,
            Sku = item.Sku,
            // A nameless item is still worth importing; its id is the only label 1C gave it.
            Name = item.Name ?? id,
            Description = item.Description,
            Barcode = item.Barcode,
            Unit = item.Unit,
            Groups = item.GroupIds.Select(classifier.Group).ToList(),
            Properties = item.Properties,
            Requisites = item.Requisites,
            Pictures = item.Pictures,
            Active = !item.IsDeleted,
        };
    }

    /// <summary>The full unit name when 1C gives one (НаименованиеПолное="Штука"), else the element's own text (шт).</summary>
    private static string? Unit(XmlReader reader)
    {
        var fullName = CommerceXml.NonEmpty(reader.GetAttribute("НаименованиеПолное"));
        var ownText = new System.Text.StringBuilder();
        var depth = reader.Depth;
        if (!reader.IsEmptyElement)
        {
            while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.Depth == depth + 1 && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    ownText.Append(reader.Value);
                }
            }
        }
        return fullName ?? CommerceXml.NonEmpty(ownText.ToString());
    }

    /// <summary>One property per Значение: a multi-valued property repeats Значение inside one ЗначенияСвойства.</summary>
    private static void PropertyValues(XmlReader reader, Classifier classifier, List<ProductProperty> properties)
    {
        string? id = null;
        var values = new List<string?>(1);
        ForEachChild(reader, () =>
        {
            switch (reader.LocalName)
            {
                case "Ид": id ??= ElementText(reader); break;
                case "Значение": values.Add(ElementText(reader)); break;
                default: SkipElement(reader); break;
            }
        });
        if (id is null)
        {
            return;
        }
        if (values.Count == 0)
        {
            values.Add(null);
        }
        properties.AddRange(values.Select(value => classifier.Property(id, value)));
    }

    private static void Requisite(XmlReader reader, List<ProductRequisite> requisites)
    {
        string? name = null;
        string? value = null;
        ForEachChild(reader, () =>
        {
            switch (reader.LocalName)
            {
                case "Наименование": name ??= ElementText(reader); break;
                case "Значение": value ??= ElementText(reader); break;
                default: SkipElement(reader); break;
            }
        });
        if (name is not null)
        {
            requisites.Add(new ProductRequisite(name, value ?? ""));
        }
    }

    /// <summary>
    /// Calls <paramref name="onChild"/> with the reader on each child element of the current one; the callback must
    /// consume that child entirely, up to its end tag. Leaves the reader on the parent's end tag.
    /// </summary>
    private static void ForEachChild(XmlReader reader, Action onChild)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }
        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                onChild();
                // Each reader helper stops on the child's last node; step past it to the next sibling.
                reader.Read();
            }
            else if (!reader.Read())
            {
                return;
            }
        }
    }

    private static void ForEachChild(XmlReader reader, string localName, Action onChild) =>
        ForEachChild(reader, () =>
        {
            if (reader.LocalName == localName)
            {
                onChild();
            }
            else
            {
                SkipElement(reader);
            }
        });

    /// <summary>
    /// The trimmed text of the element the reader is on and its descendants (like XElement.Value), or null when
    /// empty (1C writes empty elements freely). Leaves the reader on the element's end tag.
    /// </summary>
    private static string? ElementText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }
        var depth = reader.Depth;
        string? single = null;
        System.Text.StringBuilder? several = null;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                if (single is null)
                {
                    single = reader.Value;
                }
                else
                {
                    (several ??= new System.Text.StringBuilder(single)).Append(reader.Value);
                }
            }
        }
        return CommerceXml.NonEmpty(several?.ToString() ?? single);
    }

    /// <summary>Moves to the end tag of the element the reader is on (XmlReader.Skip would move past it).</summary>
    private static void SkipElement(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }
        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
        }
    }

    private static void Add(List<string> list, string? value)
    {
        if (value is not null)
        {
            list.Add(value);
        }
    }

    /// <summary>What a Товар said, gathered while its children stream past.</summary>
    private sealed class ProductFields
    {
        public string? Id, Sku, Name, Description, Barcode, Unit, DeletionMark, Status, StatusAttribute;
        public readonly List<string> GroupIds = [];
        public readonly List<string> Pictures = [];
        public readonly List<ProductProperty> Properties = [];
        public readonly List<ProductRequisite> Requisites = [];

        public bool IsDeleted =>
            string.Equals(DeletionMark, "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(Status, "Удален", StringComparison.OrdinalIgnoreCase)
            || string.Equals(CommerceXml.NonEmpty(StatusAttribute), "Удален", StringComparison.OrdinalIgnoreCase);
    }
}
