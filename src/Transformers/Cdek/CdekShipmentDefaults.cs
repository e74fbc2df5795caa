namespace Router.Transformers.Cdek;

/// <summary>
/// What every CDEK order of one shop shares and a canonical <c>ShipmentRequest</c> does not say: where the parcels
/// leave from (a CDEK office the shop drops them at, or a pick-up address), the default tariff and the seller.
/// </summary>
public sealed record CdekShipmentDefaults
{
    /// <summary>tariff_code when the request names none (136: посылка склад-склад).</summary>
    public int? Tariff { get; init; }

    /// <summary>The CDEK office (ПВЗ) code the shop hands its parcels in at; excludes <see cref="FromCityCode"/>/<see cref="FromAddress"/>.</summary>
    public string? ShipmentPoint { get; init; }

    /// <summary>CDEK city code of the pick-up address (from_location.code).</summary>
    public int? FromCityCode { get; init; }

    public string? FromAddress { get; init; }

    /// <summary>1: интернет-магазин (the default, needs an e-shop contract), 2: доставка.</summary>
    public int OrderType { get; init; } = 1;

    public string? SellerName { get; init; }
    public string? SellerInn { get; init; }
    public string? SellerPhone { get; init; }

    /// <summary>The sender's contact name (required by CDEK for type 2 orders).</summary>
    public string? SenderName { get; init; }

    public bool HasFromLocation => FromCityCode is not null || !string.IsNullOrWhiteSpace(FromAddress);
}
