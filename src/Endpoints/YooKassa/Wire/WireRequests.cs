using System.Text.Json.Serialization;

namespace Router.Endpoints.YooKassa.Wire;

// What the router sends: POST /payments, /payments/{id}/capture, /payments/{id}/cancel, /refunds.

public sealed record WireCreatePayment
{
    public required WireAmount Amount { get; init; }
    public bool Capture { get; init; }
    public required WireRedirectConfirmation Confirmation { get; init; }
    public string? Description { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public WireReceipt? Receipt { get; init; }
}

public sealed record WireRedirectConfirmation
{
    public string Type { get; init; } = "redirect";
    public string? ReturnUrl { get; init; }
}

/// <summary>54-ФЗ receipt: the customer needs an e-mail or a phone for the receipt to be sent.</summary>
public sealed record WireReceipt
{
    public required WireReceiptCustomer Customer { get; init; }
    public required IReadOnlyList<WireReceiptItem> Items { get; init; }
}

public sealed record WireReceiptCustomer
{
    public string? FullName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Inn { get; init; }
}

/// <summary><c>amount</c> is the price of ONE unit, VAT included.</summary>
public sealed record WireReceiptItem
{
    public required string Description { get; init; }

    [JsonConverter(typeof(YooKassaQuantityConverter))]
    public decimal Quantity { get; init; }

    public required WireAmount Amount { get; init; }
    public int VatCode { get; init; }
    public string PaymentMode { get; init; } = "full_payment";
    public string PaymentSubject { get; init; } = "commodity";
}

public sealed record WireCapture
{
    public WireAmount? Amount { get; init; }
}

public sealed record WireCreateRefund
{
    public required string PaymentId { get; init; }
    public required WireAmount Amount { get; init; }
    public string? Description { get; init; }
}
