namespace Router.Core.Canonical;

// The commands the order saga (or a route) sends to partner endpoints, and what those endpoints answer with.
// Endpoints map these canonical shapes to their wire formats; the saga never sees a partner's JSON.

/// <summary><c>payment.requested</c>: create a payment (redirect confirmation) for an order.</summary>
public sealed record PaymentRequest
{
    public required string OrderNumber { get; init; }
    public required Money Amount { get; init; }
    public required string Description { get; init; }
    public string? ReturnUrl { get; init; }

    /// <summary>False for a two-stage payment: it stops at waiting_for_capture until captured or cancelled.</summary>
    public bool Capture { get; init; } = true;

    public PaymentCustomer? Customer { get; init; }

    /// <summary>Receipt lines (54-ФЗ); empty when the shop sends receipts another way.</summary>
    public IReadOnlyList<ReceiptItem> Items { get; init; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

public sealed record PaymentCustomer(string? Name = null, string? Email = null, string? Phone = null, string? Inn = null);

/// <param name="UnitPrice">Price of one unit, VAT included.</param>
/// <param name="VatCode">YooKassa's vat_code 1–6 (1: без НДС).</param>
public sealed record ReceiptItem(string Description, decimal Quantity, Money UnitPrice, int VatCode = 1);

/// <summary><c>payment.capture-requested</c> and <c>payment.cancel-requested</c>: act on an existing payment.</summary>
public sealed record PaymentAction
{
    public required string OrderNumber { get; init; }
    public required string PaymentId { get; init; }

    /// <summary>Capture only: a smaller amount than authorised; null captures everything.</summary>
    public Money? Amount { get; init; }
}

/// <summary><c>refund.requested</c>.</summary>
public sealed record RefundRequest
{
    public required string OrderNumber { get; init; }
    public required string PaymentId { get; init; }
    public required Money Amount { get; init; }
    public string? Reason { get; init; }
}

/// <summary><c>shipment.requested</c>: register a shipment with the carrier named in <see cref="Carrier"/>.</summary>
public sealed record ShipmentRequest
{
    public required string OrderNumber { get; init; }

    /// <summary>cdek or boxberry.</summary>
    public required string Carrier { get; init; }

    /// <summary>Carrier tariff (CDEK tariff_code; Boxberry vid 1 pickup point, 2 courier).</summary>
    public string? Tariff { get; init; }

    /// <summary>Pickup point (ПВЗ) code; null for door delivery to <see cref="Address"/>.</summary>
    public string? PickupPointId { get; init; }

    public Address? Address { get; init; }
    public required ShipmentRecipient Recipient { get; init; }
    public IReadOnlyList<ShipmentPackage> Packages { get; init; } = [];

    /// <summary>Declared value of the goods (insurance).</summary>
    public Money? DeclaredValue { get; init; }

    /// <summary>What the recipient pays on delivery; zero or null when prepaid.</summary>
    public Money? CashOnDelivery { get; init; }

    public Money? DeliveryCost { get; init; }
    public string? Comment { get; init; }
}

public sealed record ShipmentRecipient(string Name, string? Phone = null, string? Email = null);

public sealed record ShipmentPackage
{
    public required string Number { get; init; }
    public int WeightGrams { get; init; }
    public int? LengthCm { get; init; }
    public int? WidthCm { get; init; }
    public int? HeightCm { get; init; }
    public IReadOnlyList<ShipmentItem> Items { get; init; } = [];
}

public sealed record ShipmentItem(string Sku, string Name, decimal Quantity, Money UnitPrice, int WeightGrams);

/// <summary><c>shipment.cancel-requested</c>: delete the carrier's order while it may, otherwise refuse it.</summary>
public sealed record ShipmentCancellation
{
    public required string OrderNumber { get; init; }
    public required string Carrier { get; init; }

    /// <summary>CDEK order uuid, Boxberry track; null means look it up by the order number.</summary>
    public string? CarrierOrderId { get; init; }

    public string? Reason { get; init; }
}
