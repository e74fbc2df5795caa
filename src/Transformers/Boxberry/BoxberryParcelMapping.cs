using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Router.Core.Canonical;
using Router.Transformers.Carriers;

namespace Router.Transformers.Boxberry;

/// <summary>What every Boxberry parcel of one shop shares: where the shop hands parcels in (the пункт поступления, e.g. "010").</summary>
public sealed record BoxberryShipmentDefaults
{
    public string? PointOfAcceptance { get; init; }

    /// <summary>issue: 0 выдача без вскрытия, 1 со вскрытием и проверкой комплектности, 2 частичная выдача.</summary>
    public string Issue { get; init; } = "0";

    public string? SenderName { get; init; }
}

/// <summary>
/// A canonical <see cref="ShipmentRequest"/> as the <c>sdata</c> of Boxberry's ParselCreate: vid 1 (to a pickup point,
/// its code in <c>shop.name</c>) or vid 2 (courier, the address in <c>kurdost</c>); strings throughout, as Boxberry's
/// own examples write them; places after the first as <c>weight2/x2/…</c>. Pure, for preview, plan and tests alike.
/// </summary>
public static partial class BoxberryParcelMapping
{
    public const string PickupPoint = "1";
    public const string Courier = "2";

    /// <summary>Boxberry's rule for order_id: up to 35 of a-z A-Z 0-9 а-я ё - / . , _ № and space.</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9а-яА-ЯёЁ\-/.,_№ ]{1,35}$")]
    private static partial Regex OrderIdRule();

    public static JsonObject ToSdata(ShipmentRequest request, BoxberryShipmentDefaults defaults)
    {
        if (!OrderIdRule().IsMatch(request.OrderNumber ?? ""))
        {
            throw new ShipmentMappingException($"Boxberry's order_id allows up to 35 letters, digits, spaces and - / . , _ №, not '{request.OrderNumber}'");
        }
        var vid = VidOf(request);
        var goods = request.Packages.SelectMany(p => p.Items).ToList();
        var price = request.DeclaredValue?.Amount ?? goods.Sum(i => i.UnitPrice.Amount * i.Quantity);
        var sdata = new JsonObject
        {
            ["updateByTrack"] = "",
            ["order_id"] = request.OrderNumber,
            ["PalletNumber"] = "",
            ["barcode"] = "",
            ["price"] = Amount(price),
            ["payment_sum"] = Amount(request.CashOnDelivery?.Amount ?? 0m),
            ["delivery_sum"] = Amount(request.DeliveryCost?.Amount ?? 0m),
            ["vid"] = vid,
            ["shop"] = new JsonObject
            {
                ["name"] = vid == PickupPoint ? request.PickupPointId : "",
                ["name1"] = defaults.PointOfAcceptance ?? "",
            },
            ["customer"] = new JsonObject
            {
                ["fio"] = string.IsNullOrWhiteSpace(request.Recipient.Name)
                    ? throw new ShipmentMappingException($"shipment for order {request.OrderNumber} has no recipient name")
                    : request.Recipient.Name,
                ["phone"] = Phone(request.Recipient.Phone),
                ["phone2"] = "",
                ["email"] = request.Recipient.Email ?? "",
            },
            ["items"] = Items(goods, request.OrderNumber!),
            ["weights"] = Weights(request),
            ["notice"] = request.Comment ?? "",
            ["issue"] = defaults.Issue,
            ["sender_name"] = defaults.SenderName ?? "",
        };
        if (vid == Courier)
        {
            var address = request.Address ?? throw new ShipmentMappingException($"courier delivery of order {request.OrderNumber} needs an address");
            sdata["kurdost"] = new JsonObject
            {
                ["index"] = address.PostalCode ?? "",
                ["citi"] = address.City ?? throw new ShipmentMappingException($"courier delivery of order {request.OrderNumber} needs the city"),
                ["addressp"] = StreetLine(address),
                ["timesfrom1"] = "",
                ["timesto1"] = "",
                ["timesfrom2"] = "",
                ["timesto2"] = "",
                ["timep"] = "",
                ["delivery_date"] = "",
                ["comentk"] = "",
            };
        }
        return sdata;
    }

    private static string VidOf(ShipmentRequest request)
    {
        var vid = request.Tariff switch
        {
            null or "" => string.IsNullOrWhiteSpace(request.PickupPointId) ? Courier : PickupPoint,
            PickupPoint or Courier => request.Tariff,
            _ => throw new ShipmentMappingException($"Boxberry's vid is 1 (pickup point) or 2 (courier), not '{request.Tariff}'"),
        };
        if (vid == PickupPoint && string.IsNullOrWhiteSpace(request.PickupPointId))
        {
            throw new ShipmentMappingException($"order {request.OrderNumber} goes to a Boxberry pickup point (vid 1) but names none");
        }
        return vid;
    }

    private static string StreetLine(Address address)
    {
        if (!string.IsNullOrWhiteSpace(address.Full))
        {
            return address.Full;
        }
        var parts = new[] { address.Street, address.House is null ? null : "д " + address.House, address.Apartment is null ? null : "кв " + address.Apartment };
        var line = string.Join(", ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return line.Length > 0 ? line : throw new ShipmentMappingException("the courier address has no street");
    }

    /// <summary>Boxberry's examples write phones as ten digits (9001122333), without +7 or 8.</summary>
    private static string Phone(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 11 && (digits[0] == '7' || digits[0] == '8') ? digits[1..] : digits;
    }

    private static JsonArray Items(IReadOnlyList<ShipmentItem> goods, string orderNumber)
    {
        var items = new JsonArray();
        foreach (var item in goods)
        {
            if (item.Quantity <= 0 || item.Quantity != decimal.Truncate(item.Quantity))
            {
                throw new ShipmentMappingException($"item {item.Sku} of order {orderNumber}: Boxberry counts whole units, not {item.Quantity}");
            }
            items.Add(new JsonObject
            {
                ["id"] = item.Sku,
                ["name"] = item.Name,
                ["UnitName"] = "шт.",
                ["nds"] = "",
                ["price"] = Amount(item.UnitPrice.Amount),
                ["quantity"] = ((int)item.Quantity).ToString(CultureInfo.InvariantCulture),
                ["marking_crpt"] = "",
            });
        }
        return items;
    }

    private static JsonObject Weights(ShipmentRequest request)
    {
        if (request.Packages.Count == 0)
        {
            throw new ShipmentMappingException($"shipment for order {request.OrderNumber} has no packages");
        }
        var weights = new JsonObject();
        for (var i = 0; i < request.Packages.Count; i++)
        {
            var package = request.Packages[i];
            if (package.WeightGrams <= 0)
            {
                throw new ShipmentMappingException($"package {package.Number} of order {request.OrderNumber} needs a weight in grams");
            }
            var suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            weights["weight" + suffix] = package.WeightGrams.ToString(CultureInfo.InvariantCulture);
            weights["barcode" + suffix] = "";
            weights["x" + suffix] = Whole(package.LengthCm);
            weights["y" + suffix] = Whole(package.WidthCm);
            weights["z" + suffix] = Whole(package.HeightCm);
        }
        return weights;
    }

    private static string Whole(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
