using System.Globalization;
using Router.Core.Canonical;

namespace Router.Transformers.Orders;

/// <summary>What a shop configures about its payments: where the buyer returns, how lines are taxed, one or two stages.</summary>
public sealed record PaymentRequestOptions
{
    /// <summary>Where YooKassa sends the buyer after paying; <c>{number}</c> becomes the order number. The order's own wins.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>YooKassa vat_code for lines without a VAT rate and for the delivery line (1: без НДС).</summary>
    public int VatCode { get; init; } = 1;

    public bool Capture { get; init; } = true;

    public bool Receipt { get; init; } = true;
}

/// <summary>Order → <c>payment.requested</c>: the whole order total, with a 54-ФЗ receipt line per order line and one for delivery.</summary>
public static class PaymentRequestBuilder
{
    public static PaymentRequest Build(Order order, PaymentRequestOptions options)
    {
        var items = new List<ReceiptItem>();
        if (options.Receipt)
        {
            foreach (var line in order.Lines)
            {
                items.Add(new ReceiptItem(line.Name, line.Quantity, new Money(UnitPriceOf(line), line.Total.Currency), VatCodeOf(line.VatRate, options.VatCode)));
            }
            if (order.Totals.Delivery.Amount > 0)
            {
                items.Add(new ReceiptItem("Доставка", 1, order.Totals.Delivery, options.VatCode));
            }
        }
        var returnUrl = order.Payment?.ReturnUrl ?? options.ReturnUrl?.Replace("{number}", Uri.EscapeDataString(order.Number), StringComparison.Ordinal);
        return new PaymentRequest
        {
            OrderNumber = order.Number,
            Amount = order.Totals.Total,
            Description = "Заказ №" + order.Number,
            ReturnUrl = returnUrl,
            Capture = options.Capture,
            Customer = new PaymentCustomer(order.Customer.Name, Blank(order.Customer.Email),
                order.Customer.Phone is { } phone ? RussianPhone.Normalize(phone) : null, Blank(order.Customer.Inn)),
            Items = items,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["orderNumber"] = order.Number },
        };
    }

    /// <summary>The price actually paid per unit (discounts included), so the receipt adds up to what is charged.</summary>
    private static decimal UnitPriceOf(OrderLine line) =>
        line.Quantity > 0 ? Math.Round(line.Total.Amount / line.Quantity, 2, MidpointRounding.AwayFromZero) : line.Total.Amount;

    /// <summary>YooKassa's vat_code for a rate in percent: 0% → 2, 10% → 3, 20% → 4; other or unknown rates take the configured default.</summary>
    public static int VatCodeOf(decimal? rate, int fallback) => rate switch
    {
        0m => 2,
        10m => 3,
        20m => 4,
        _ => fallback,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
