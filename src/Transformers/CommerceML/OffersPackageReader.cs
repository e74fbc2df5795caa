using System.Xml;
using System.Xml.Linq;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML;

/// <summary>
/// Reads an offers, prices or rests file forward-only. ТипыЦен come before Предложения in a ПакетПредложений, so
/// every price can be named when its offer is read; only one ТипЦены or Предложение is held as a tree at a time.
/// </summary>
internal static class OffersPackageReader
{
    public static IReadOnlyList<Offer> Read(CommerceMLInput input, long maxCharacters, PriceTypeMapping mapping) =>
        CommerceXml.Guard(input.FileName, () =>
        {
            var priceTypes = new Dictionary<string, PriceType>(StringComparer.Ordinal);
            var offerReader = new OfferReader(priceTypes, mapping, input.FileName);
            var offers = new List<Offer>();
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
                    case "ТипЦены" when path.IsUnder("ПакетПредложений", "ТипыЦен"):
                        AddPriceType(priceTypes, CommerceXml.LoadElement(reader));
                        break;
                    case "Предложение" when path.IsUnder("ПакетПредложений", "Предложения"):
                        offers.Add(offerReader.Read(CommerceXml.LoadElement(reader)));
                        break;
                }
            }
            return (IReadOnlyList<Offer>)offers;
        });

    private static void AddPriceType(Dictionary<string, PriceType> priceTypes, XElement type)
    {
        if (type.ChildText("Ид") is { } id)
        {
            priceTypes[id] = new PriceType(id, type.ChildText("Наименование"), type.ChildText("Валюта"));
        }
    }
}
