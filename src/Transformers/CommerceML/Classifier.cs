using System.Xml.Linq;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML;

/// <summary>
/// The Классификатор of an import file: groups and properties by id, so a Товар's references become names.
/// A file may come without one (3.1 sends it separately); references then stay unresolved but are kept.
/// </summary>
internal sealed class Classifier
{
    private readonly Dictionary<string, ProductGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassifierProperty> properties = new(StringComparer.Ordinal);

    /// <summary>Adds a Группа and, recursively, the groups nested under its own Группы.</summary>
    public void AddGroup(XElement group, string? parentId = null)
    {
        var id = group.ChildText("Ид");
        if (id is null)
        {
            return;
        }
        groups[id] = new ProductGroup(id, group.ChildText("Наименование") ?? id, parentId);
        foreach (var nested in group.Children("Группы").SelectMany(g => g.Children("Группа")))
        {
            AddGroup(nested, id);
        }
    }

    public void AddProperty(XElement property)
    {
        var id = property.ChildText("Ид");
        if (id is null)
        {
            return;
        }
        var variants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variant in property.Children("ВариантыЗначений").SelectMany(v => v.Elements()))
        {
            // Справочник uses ИдЗначения; some generators write Ид.
            var valueId = variant.ChildText("ИдЗначения") ?? variant.ChildText("Ид");
            var value = variant.ChildText("Значение");
            if (valueId is not null && value is not null)
            {
                variants[valueId] = value;
            }
        }
        properties[id] = new ClassifierProperty(property.ChildText("Наименование") ?? id, variants);
    }

    /// <summary>An unknown group keeps its id as its name rather than being dropped: the product still belongs to it.</summary>
    public ProductGroup Group(string id) => groups.GetValueOrDefault(id) ?? new ProductGroup(id, id);

    public ProductProperty Property(string id, string? value)
    {
        if (!properties.TryGetValue(id, out var property))
        {
            return new ProductProperty(id, id, value);
        }
        if (value is not null && property.Variants.TryGetValue(value, out var text))
        {
            return new ProductProperty(id, property.Name, text, value);
        }
        return new ProductProperty(id, property.Name, value);
    }

    private sealed record ClassifierProperty(string Name, IReadOnlyDictionary<string, string> Variants);
}
