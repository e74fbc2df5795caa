using System.Globalization;
using System.Text.Json.Nodes;
using Router.Core.Canonical;
using Router.Transformers.Carriers;

namespace Router.Transformers.Cdek;

/// <summary>
/// A canonical <see cref="ShipmentRequest"/> as the body of CDEK's <c>POST /v2/orders</c>. Pure, so <c>router
/// preview</c>, the endpoint's plan and the tests all see the same order. CDEK refuses an order that names both an
/// office and an address on either end (<c>v2_*_address_multivalued</c>), so exactly one of each is written.
/// </summary>
public static class CdekOrderMapping
{
    /// <summary>CDEK's limit on the shop's order number (the im_number it is found by later).</summary>
    public const int MaxNumberLength = 40;

    public static JsonObject ToCdekOrder(ShipmentRequest request, CdekShipmentDefaults defaults)
    {
        if (string.IsNullOrWhiteSpace(request.OrderNumber) || request.OrderNumber.Length > MaxNumberLength)
        {
            throw new ShipmentMappingException($"CDEK needs an order number of 1 to {MaxNumberLength} characters, not '{request.OrderNumber}'");
        }
        var order = new JsonObject
        {
            ["type"] = defaults.OrderType,
            ["number"] = request.OrderNumber,
            ["tariff_code"] = TariffOf(request, defaults),
        };
        if (!string.IsNullOrWhiteSpace(request.Comment))
        {
            order["comment"] = request.Comment;
        }
        if (!string.IsNullOrWhiteSpace(defaults.ShipmentPoint))
        {
            order["shipment_point"] = defaults.ShipmentPoint;
        }
        else if (defaults.HasFromLocation)
        {
            var from = new JsonObject();
            if (defaults.FromCityCode is { } code)
            {
                from["code"] = code;
            }
            if (!string.IsNullOrWhiteSpace(defaults.FromAddress))
            {
                from["address"] = defaults.FromAddress;
            }
            order["from_location"] = from;
        }
        else
        {
            throw new ShipmentMappingException("CDEK needs where the parcels leave from: set the endpoint's shipment.shipmentPoint or shipment.fromLocation");
        }

        if (!string.IsNullOrWhiteSpace(request.PickupPointId))
        {
            order["delivery_point"] = request.PickupPointId;
        }
        else if (request.Address is { } address)
        {
            order["to_location"] = Location(address);
        }
        else
        {
            throw new ShipmentMappingException($"shipment for order {request.OrderNumber} has neither a pickup point nor an address");
        }

        order["recipient"] = Recipient(request.Recipient, request.OrderNumber);
        if (defaults.OrderType == 2)
        {
            order["sender"] = new JsonObject { ["name"] = defaults.SenderName ?? defaults.SellerName ?? "" };
        }
        if (defaults.SellerName is not null || defaults.SellerInn is not null || defaults.SellerPhone is not null)
        {
            var seller = new JsonObject();
            AddIfSet(seller, "name", defaults.SellerName);
            AddIfSet(seller, "inn", defaults.SellerInn);
            AddIfSet(seller, "phone", defaults.SellerPhone);
            order["seller"] = seller;
        }
        var cashOnDelivery = request.CashOnDelivery is { Amount: > 0 };
        if (cashOnDelivery && request.DeliveryCost is { } deliveryCost)
        {
            order["delivery_recipient_cost"] = new JsonObject { ["value"] = deliveryCost.Amount };
        }
        order["packages"] = Packages(request, cashOnDelivery);
        return order;
    }

    private static int TariffOf(ShipmentRequest request, CdekShipmentDefaults defaults)
    {
        if (request.Tariff is { } text && !string.IsNullOrWhiteSpace(text))
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code > 0
                ? code
                : throw new ShipmentMappingException($"CDEK's tariff_code is a number (e.g. 136), not '{text}'");
        }
        return defaults.Tariff ?? throw new ShipmentMappingException(
            $"shipment for order {request.OrderNumber} names no tariff and the endpoint has no shipment.tariff default");
    }

    private static JsonObject Location(Address address)
    {
        var full = address.Full;
        if (string.IsNullOrWhiteSpace(full))
        {
            var parts = new[] { address.Street, address.House is null ? null : "д. " + address.House, address.Apartment is null ? null : "кв. " + address.Apartment }
                .Where(p => !string.IsNullOrWhiteSpace(p));
            full = string.Join(", ", parts);
        }
        if (string.IsNullOrWhiteSpace(full) && string.IsNullOrWhiteSpace(address.City))
        {
            throw new ShipmentMappingException("the delivery address is empty");
        }
        var location = new JsonObject();
        AddIfSet(location, "postal_code", address.PostalCode);
        AddIfSet(location, "country_code", address.Country);
        AddIfSet(location, "city", address.City);
        AddIfSet(location, "address", full);
        return location;
    }

    private static JsonObject Recipient(ShipmentRecipient recipient, string orderNumber)
    {
        if (string.IsNullOrWhiteSpace(recipient.Name))
        {
            throw new ShipmentMappingException($"shipment for order {orderNumber} has no recipient name (CDEK requires it)");
        }
        var contact = new JsonObject { ["name"] = recipient.Name };
        AddIfSet(contact, "email", recipient.Email);
        if (!string.IsNullOrWhiteSpace(recipient.Phone))
        {
            contact["phones"] = new JsonArray(new JsonObject { ["number"] = recipient.Phone });
        }
        return contact;
    }

    private static JsonArray Packages(ShipmentRequest request, bool cashOnDelivery)
    {
        if (request.Packages.Count == 0)
        {
            throw new ShipmentMappingException($"shipment for order {request.OrderNumber} has no packages (CDEK requires at least one)");
        }
        var packages = new JsonArray();
        foreach (var package in request.Packages)
        {
            if (package.WeightGrams <= 0)
            {
                throw new ShipmentMappingException($"package {package.Number} of order {request.OrderNumber} needs a weight in grams");
            }
            var json = new JsonObject { ["number"] = package.Number, ["weight"] = package.WeightGrams };
            AddIfSet(json, "length", package.LengthCm);
            AddIfSet(json, "width", package.WidthCm);
            AddIfSet(json, "height", package.HeightCm);
            var items = new JsonArray();
            foreach (var item in package.Items)
            {
                if (item.Quantity <= 0 || item.Quantity != decimal.Truncate(item.Quantity))
                {
                    throw new ShipmentMappingException($"item {item.Sku} of order {request.OrderNumber}: CDEK counts whole units, not {item.Quantity}");
                }
                items.Add(new JsonObject
                {
                    ["name"] = item.Name,
                    ["ware_key"] = item.Sku,
                    // What the recipient pays per unit on delivery: nothing for a prepaid order.
                    ["payment"] = new JsonObject { ["value"] = cashOnDelivery ? item.UnitPrice.Amount : 0m },
                    ["cost"] = item.UnitPrice.Amount,
                    ["weight"] = item.WeightGrams,
                    ["amount"] = (int)item.Quantity,
                });
            }
            json["items"] = items;
            packages.Add(json);
        }
        return packages;
    }

    private static void AddIfSet(JsonObject target, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            target[name] = value;
        }
    }

    private static void AddIfSet(JsonObject target, string name, int? value)
    {
        if (value is { } number)
        {
            target[name] = number;
        }
    }
}
