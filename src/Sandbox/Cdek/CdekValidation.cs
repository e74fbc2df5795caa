using System.Text.Json.Nodes;

namespace Router.Sandbox.Cdek;

/// <summary>The checks CDEK runs in the background after accepting a create, with its error codes.</summary>
public static class CdekValidation
{
    public static IEnumerable<(string Code, string Message)> Check(JsonObject order)
    {
        if (order["tariff_code"] is null)
        {
            yield return ("v2_field_is_empty", "Field tariff_code is empty");
        }
        if (order["shipment_point"] is not null && order["from_location"] is not null)
        {
            yield return ("v2_shipment_address_multivalued", "Only one of shipment_point and from_location may be given");
        }
        if (order["shipment_point"] is null && order["from_location"] is null)
        {
            yield return ("v2_order_location_from_and_shipment_point_empty", "Either shipment_point or from_location is required");
        }
        if (order["delivery_point"] is not null && order["to_location"] is not null)
        {
            yield return ("v2_delivery_address_multivalued", "Only one of delivery_point and to_location may be given");
        }
        if (order["delivery_point"] is null && order["to_location"] is null)
        {
            yield return ("v2_order_location_to_and_delivery_point_empty", "Either delivery_point or to_location is required");
        }
        if (order["recipient"]?["name"] is null)
        {
            yield return ("v2_field_is_empty", "Field recipient.name is empty");
        }
        if (order["packages"] is not JsonArray { Count: > 0 } packages)
        {
            yield return ("v2_field_is_empty", "Field packages is empty");
            yield break;
        }
        var items = 0;
        foreach (var package in packages)
        {
            if (package?["number"] is null)
            {
                yield return ("v2_package_id_is_empty", "Field packages.number is empty");
            }
            if (package?["weight"] is null)
            {
                yield return ("v2_field_is_empty", "Field packages.weight is empty");
            }
            items += (package?["items"] as JsonArray)?.Count ?? 0;
        }
        if (items > 126)
        {
            yield return ("v2_number_items_is_more_126", "An order may hold at most 126 items");
        }
    }
}
