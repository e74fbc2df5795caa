using System.Xml.Linq;
using Router.Core.Canonical;
using Router.Core.Failures;

namespace Router.Transformers.CommerceML;

/// <summary>A ТипЦены of the package: its name and default currency, for prices that only give ИдТипаЦены.</summary>
internal sealed record PriceType(string Id, string? Name, string? Currency);

/// <summary>Turns one Предложение into a canonical <see cref="Offer"/>.</summary>
internal sealed class OfferReader(IReadOnlyDictionary<string, PriceType> priceTypes, PriceTypeMapping mapping, string fileName)
{
    public Offer Read(XElement offer)
    {
        var id = offer.ChildText("Ид")
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{fileName}: a Предложение without Ид");
        // A characteristic (variant) offer is "productId#characteristicId"; a plain one may still end in '#'.
        var hash = id.IndexOf('#', StringComparison.Ordinal);
        var productId = hash < 0 ? id : id[..hash];
        var characteristicId = hash < 0 ? null : CommerceXml.NonEmpty(id[(hash + 1)..]);

        var rests = offer.Children("Остатки").SelectMany(r => r.Children("Остаток")).ToList();
        return new Offer
        {
            Id = id,
            ProductId = productId,
            CharacteristicId = characteristicId,
            Name = offer.ChildText("Наименование"),
            Prices = offer.Children("Цены").SelectMany(p => p.Children("Цена"))
                .Select(p => Price(p, id)).OfType<OfferPrice>().ToList(),
            Stock = Stock(offer, rests, id),
            TotalQuantity = Number(offer.ChildText("Количество"), id, "Количество")
                ?? Sum(rests.Where(r => r.Child("Склад") is null).Select(r => Number(r.ChildText("Количество"), id, "Остаток/Количество"))),
        };
    }

    private OfferPrice? Price(XElement price, string offerId)
    {
        // Without its type a price cannot be told apart from the offer's other prices.
        var typeId = price.ChildText("ИдТипаЦены")
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{fileName}: offer {offerId}: a Цена without ИдТипаЦены");
        var type = priceTypes.GetValueOrDefault(typeId);
        var code = mapping.CodeFor(typeId, type?.Name);
        if (code is null)
        {
            return null;
        }
        var amount = Number(price.ChildText("ЦенаЗаЕдиницу"), offerId, "ЦенаЗаЕдиницу")
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{fileName}: offer {offerId}: a Цена without ЦенаЗаЕдиницу");
        var currency = CurrencyCodes.Normalize(price.ChildText("Валюта") ?? type?.Currency);
        return new OfferPrice(code, new Money(amount, currency), price.ChildText("Единица"),
            Number(price.ChildText("Коэффициент"), offerId, "Коэффициент"));
    }

    /// <summary>Both the 2.07 attribute form (Склад ИдСклада КоличествоНаСкладе) and the 2.09/3.x Остатки form.</summary>
    private List<OfferStock> Stock(XElement offer, List<XElement> rests, string offerId)
    {
        var stock = new List<OfferStock>();
        foreach (var warehouse in offer.Children("Склад"))
        {
            var warehouseId = warehouse.AttributeText("ИдСклада");
            var quantity = Number(warehouse.AttributeText("КоличествоНаСкладе"), offerId, "КоличествоНаСкладе");
            if (warehouseId is not null && quantity is { } q)
            {
                stock.Add(new OfferStock(warehouseId, q));
            }
        }
        foreach (var warehouse in rests.SelectMany(r => r.Children("Склад")))
        {
            var warehouseId = warehouse.ChildText("Ид");
            var quantity = Number(warehouse.ChildText("Количество"), offerId, "Остаток/Склад/Количество");
            if (warehouseId is not null && quantity is { } q)
            {
                stock.Add(new OfferStock(warehouseId, q));
            }
        }
        return stock;
    }

    private decimal? Number(string? text, string offerId, string element)
    {
        if (text is null)
        {
            return null;
        }
        return CommerceNumbers.TryParse(text, out var value)
            ? value
            : throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{fileName}: offer {offerId}: {element} '{text}' is not a number");
    }

    private static decimal? Sum(IEnumerable<decimal?> values)
    {
        var present = values.OfType<decimal>().ToList();
        return present.Count == 0 ? null : present.Sum();
    }
}
