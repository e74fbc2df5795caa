namespace Router.Core.Canonical;

public sealed record Address(string? City = null, string? Street = null, string? House = null, string? Apartment = null,
    string? PostalCode = null, string? Country = "RU", string? Full = null);

/// <summary>
/// A buyer as both the platform and 1C (контрагент) know it. <see cref="Inn"/> is the ИНН, <see cref="Kpp"/> the КПП of a
/// legal entity. A two-way customer sync (<c>conflicts:</c> on a route) compares these fields and orders changes by
/// <see cref="UpdatedAt"/>, so a source that can tell when the record last changed should fill it in, with its offset.
/// </summary>
public sealed record Customer
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? CompanyName { get; init; }
    public string? Inn { get; init; }
    public string? Kpp { get; init; }
    public Address? Address { get; init; }

    /// <summary>When the source last changed this customer (its own clock, with offset).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The source's own revision number, when it keeps one (1C's НомерВерсии, a platform row version).</summary>
    public long? Version { get; init; }
}

public sealed record OrderLine
{
    public required string Sku { get; init; }
    public string? ProductId { get; init; }
    public required string Name { get; init; }
    public decimal Quantity { get; init; }
    public required Money UnitPrice { get; init; }
    public Money? Discount { get; init; }
    public required Money Total { get; init; }
    public decimal? VatRate { get; init; }
}

public sealed record OrderTotals(Money Goods, Money Delivery, Money Discount, Money Total);

public sealed record Delivery
{
    /// <summary>cdek, boxberry, courier, pickup…</summary>
    public required string Method { get; init; }
    public string? Tariff { get; init; }
    public string? PickupPointId { get; init; }
    public Address? Address { get; init; }
    public Money? Cost { get; init; }
}

public sealed record PaymentTerms
{
    /// <summary>online (YooKassa), cash-on-delivery, invoice…</summary>
    public required string Method { get; init; }
    public string? ReturnUrl { get; init; }
}

public sealed record Order
{
    public required string Number { get; init; }
    public long Version { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public required Customer Customer { get; init; }
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
    public required OrderTotals Totals { get; init; }
    public Delivery? Delivery { get; init; }
    public PaymentTerms? Payment { get; init; }
    public string? Comment { get; init; }
}

/// <summary>Order state as 1C or the platform reports it (Номер1С, Дата1С, ПометкаУдаления, Проведен…).</summary>
public sealed record OrderStatus
{
    public required string OrderNumber { get; init; }
    public required string Status { get; init; }
    public string? ExternalNumber { get; init; }
    public DateTimeOffset? ExternalDate { get; init; }
    public bool Posted { get; init; }
    public bool DeletionMark { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    public IReadOnlyDictionary<string, string> Requisites { get; init; } = new Dictionary<string, string>();
}
