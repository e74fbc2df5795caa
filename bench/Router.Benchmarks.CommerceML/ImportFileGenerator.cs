using System.Globalization;
using System.Text;
using System.Xml;

namespace Router.Benchmarks.CommerceML;

/// <summary>
/// Writes a CommerceML 2.10 import file shaped like a 1C:УТ 11 export: a Классификатор with nested groups and
/// directory-valued properties, then N Товар elements with article, barcode, description, picture, groups, property
/// values and requisites. Deterministic for a given count, so runs compare the same bytes.
/// </summary>
internal static class ImportFileGenerator
{
    private const string Namespace = "urn:1C.ru:commerceml_2";
    private const int TopGroups = 20;
    private const int SubGroupsPerGroup = 10;
    private const int Properties = 12;
    private const int ValuesPerProperty = 25;

    public static void Write(string path, int products)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var writer = XmlWriter.Create(path, settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("КоммерческаяИнформация", Namespace);
        writer.WriteAttributeString("ВерсияСхемы", "2.10");
        writer.WriteAttributeString("ДатаФормирования", "2026-11-25T10:00:00");
        WriteClassifier(writer);
        writer.WriteStartElement("Каталог", Namespace);
        writer.WriteAttributeString("СодержитТолькоИзменения", "false");
        Element(writer, "Ид", "catalog-1");
        Element(writer, "ИдКлассификатора", "classifier-1");
        Element(writer, "Наименование", "Основной каталог товаров");
        writer.WriteStartElement("Товары", Namespace);
        for (var i = 0; i < products; i++)
        {
            WriteProduct(writer, i);
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteClassifier(XmlWriter writer)
    {
        writer.WriteStartElement("Классификатор", Namespace);
        Element(writer, "Ид", "classifier-1");
        Element(writer, "Наименование", "Классификатор (Основной каталог товаров)");
        writer.WriteStartElement("Группы", Namespace);
        for (var g = 0; g < TopGroups; g++)
        {
            writer.WriteStartElement("Группа", Namespace);
            Element(writer, "Ид", GroupId(g, null));
            Element(writer, "Наименование", $"Раздел {g + 1}");
            writer.WriteStartElement("Группы", Namespace);
            for (var s = 0; s < SubGroupsPerGroup; s++)
            {
                writer.WriteStartElement("Группа", Namespace);
                Element(writer, "Ид", GroupId(g, s));
                Element(writer, "Наименование", $"Подраздел {g + 1}.{s + 1}");
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteStartElement("Свойства", Namespace);
        for (var p = 0; p < Properties; p++)
        {
            writer.WriteStartElement("Свойство", Namespace);
            Element(writer, "Ид", PropertyId(p));
            Element(writer, "Наименование", $"Характеристика {p + 1}");
            Element(writer, "ТипЗначений", "Справочник");
            writer.WriteStartElement("ВариантыЗначений", Namespace);
            for (var v = 0; v < ValuesPerProperty; v++)
            {
                writer.WriteStartElement("Справочник", Namespace);
                Element(writer, "ИдЗначения", ValueId(p, v));
                Element(writer, "Значение", $"Значение {v + 1} свойства {p + 1}");
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteProduct(XmlWriter writer, int i)
    {
        var id = Guid(i);
        writer.WriteStartElement("Товар", Namespace);
        Element(writer, "Ид", id);
        Element(writer, "Штрихкод", (4600000000000L + i).ToString(CultureInfo.InvariantCulture));
        Element(writer, "Артикул", $"ART-{i:D7}");
        Element(writer, "Наименование", $"Кроссовки беговые модель {i % 997} размер {36 + i % 12}");
        writer.WriteStartElement("БазоваяЕдиница", Namespace);
        writer.WriteAttributeString("Код", "796");
        writer.WriteAttributeString("НаименованиеПолное", "Штука");
        writer.WriteString("шт");
        writer.WriteEndElement();
        writer.WriteStartElement("Группы", Namespace);
        Element(writer, "Ид", GroupId(i % TopGroups, i % SubGroupsPerGroup));
        writer.WriteEndElement();
        Element(writer, "Описание", "Лёгкие кроссовки для бега по асфальту: дышащий верх, амортизирующая подошва, светоотражающие вставки.");
        Element(writer, "Картинка", $"import_files/{id[..2]}/{id}.jpg");
        writer.WriteStartElement("ЗначенияСвойств", Namespace);
        for (var p = 0; p < 4; p++)
        {
            var property = (i + p) % Properties;
            writer.WriteStartElement("ЗначенияСвойства", Namespace);
            Element(writer, "Ид", PropertyId(property));
            Element(writer, "Значение", ValueId(property, (i * 7 + p) % ValuesPerProperty));
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteStartElement("ЗначенияРеквизитов", Namespace);
        Requisite(writer, "ВидНоменклатуры", "Товар");
        Requisite(writer, "ТипНоменклатуры", "Товар");
        Requisite(writer, "Полное наименование", $"Кроссовки беговые модель {i % 997}");
        Requisite(writer, "Вес", (0.35m + i % 10 * 0.01m).ToString(CultureInfo.InvariantCulture));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void Requisite(XmlWriter writer, string name, string value)
    {
        writer.WriteStartElement("ЗначениеРеквизита", Namespace);
        Element(writer, "Наименование", name);
        Element(writer, "Значение", value);
        writer.WriteEndElement();
    }

    private static void Element(XmlWriter writer, string name, string value) =>
        writer.WriteElementString(name, Namespace, value);

    private static string GroupId(int group, int? sub) =>
        sub is null ? $"group-{group:D3}" : $"group-{group:D3}-{sub:D3}";

    private static string PropertyId(int property) => $"property-{property:D3}";

    private static string ValueId(int property, int value) => $"value-{property:D3}-{value:D3}";

    private static string Guid(int i) => new System.Guid(i, 0x1c, 0x2b, [1, 2, 3, 4, 5, 6, 7, 8]).ToString();
}
