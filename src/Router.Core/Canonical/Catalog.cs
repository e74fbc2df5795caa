namespace Router.Core.Canonical;

public sealed record ProductProperty(string Id, string Name, string? Value, string? ValueId = null);

public sealed record ProductRequisite(string Name, string Value);

public sealed record ProductGroup(string Id, string Name, string? ParentId = null);

/// <summary>A catalogue item as 1C describes it (Товар), with its classifier references already resolved.</summary>
public sealed record Product
{
    public required string Id { get; init; }
    public string? Sku { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Barcode { get; init; }
    public string? Unit { get; init; }
    public IReadOnlyList<ProductGroup> Groups { get; init; } = [];
    public IReadOnlyList<ProductProperty> Properties { get; init; } = [];
    public IReadOnlyList<ProductRequisite> Requisites { get; init; } = [];
    public IReadOnlyList<string> Pictures { get; init; } = [];
    public bool Active { get; init; } = true;
}

public sealed record OfferPrice(string PriceType, Money Price, string? Unit = null, decimal? PerQuantity = null);

public sealed record OfferStock(string WarehouseId, decimal Quantity);

/// <summary>Prices and stock for a product or one of its characteristics (<c>ProductId#CharacteristicId</c>).</summary>
public sealed record Offer
{
    public required string Id { get; init; }
    public required string ProductId { get; init; }
    public string? CharacteristicId { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<OfferPrice> Prices { get; init; } = [];
    public IReadOnlyList<OfferStock> Stock { get; init; } = [];
    public decimal? TotalQuantity { get; init; }
}
