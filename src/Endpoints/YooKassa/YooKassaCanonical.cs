using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.YooKassa.Wire;

namespace Router.Endpoints.YooKassa;

/// <summary>YooKassa's objects as the router's canonical Payment and Refund, and the messages that carry them to the routes.</summary>
public static class YooKassaCanonical
{
    /// <summary>The metadata key the router stores the order number under when it creates a payment.</summary>
    public const string OrderNumberKey = "orderNumber";

    public static PaymentState PaymentStateOf(string status) => status switch
    {
        "pending" => PaymentState.Pending,
        "waiting_for_capture" => PaymentState.WaitingForCapture,
        "succeeded" => PaymentState.Succeeded,
        "canceled" => PaymentState.Canceled,
        _ => throw new PermanentFailureException(ErrorCodes.MalformedInput, $"YooKassa sent an unknown payment status '{status}'"),
    };

    public static RefundState RefundStateOf(string status) => status switch
    {
        "pending" => RefundState.Pending,
        "succeeded" => RefundState.Succeeded,
        "canceled" => RefundState.Canceled,
        _ => throw new PermanentFailureException(ErrorCodes.MalformedInput, $"YooKassa sent an unknown refund status '{status}'"),
    };

    public static Payment Payment(WirePayment payment) => new()
    {
        PaymentId = payment.Id,
        OrderNumber = payment.MetadataValue(OrderNumberKey) ?? "",
        Amount = MoneyOf(payment.Amount),
        Status = PaymentStateOf(payment.Status),
        Paid = payment.Paid,
        ConfirmationUrl = payment.Confirmation?.ConfirmationUrl,
        CancellationReason = payment.CancellationDetails is { } details ? CancellationText(details) : null,
        CapturedAt = payment.CapturedAt,
    };

    public static Refund Refund(WireRefund refund, string orderNumber) => new()
    {
        RefundId = refund.Id,
        PaymentId = refund.PaymentId,
        OrderNumber = orderNumber,
        Amount = MoneyOf(refund.Amount),
        Status = RefundStateOf(refund.Status),
        Reason = refund.CancellationDetails is { } details ? CancellationText(details) : refund.Description,
    };

    public static string PaymentMessageId(string paymentId, string status) => $"yookassa:payment:{paymentId}:{status}";

    public static string RefundMessageId(string refundId, string status) => $"yookassa:refund:{refundId}:{status}";

    /// <summary><c>payment.status-changed</c>, with an id made of the payment and its status so a repeat is an inbox duplicate.</summary>
    public static InboundMessage PaymentMessage(WirePayment payment, string origin, string? correlationId = null)
    {
        var canonical = Payment(payment);
        var id = PaymentMessageId(payment.Id, payment.Status);
        return new InboundMessage
        {
            Payload = RouterJson.ToElement(canonical),
            MessageId = id,
            FallbackMessageId = id,
            Type = MessageTypes.PaymentStatusChanged,
            EntityKey = canonical.OrderNumber.Length > 0 ? "order:" + canonical.OrderNumber : null,
            CorrelationId = correlationId,
            OccurredAt = payment.CapturedAt ?? payment.CreatedAt,
            Origin = origin,
        };
    }

    public static InboundMessage RefundMessage(WireRefund refund, string orderNumber, string origin, string? correlationId = null)
    {
        var canonical = Refund(refund, orderNumber);
        var id = RefundMessageId(refund.Id, refund.Status);
        return new InboundMessage
        {
            Payload = RouterJson.ToElement(canonical),
            MessageId = id,
            FallbackMessageId = id,
            Type = MessageTypes.RefundStatusChanged,
            EntityKey = orderNumber.Length > 0 ? "order:" + orderNumber : null,
            CorrelationId = correlationId,
            OccurredAt = refund.CreatedAt,
            Origin = origin,
        };
    }

    private static Money MoneyOf(WireAmount? amount) => amount is null ? Money.Rub(0) : new Money(amount.Value, amount.Currency);

    private static string CancellationText(WireCancellationDetails details) =>
        (details.Reason, details.Party) switch
        {
            ({ } reason, { } party) => $"{reason} ({party})",
            ({ } reason, null) => reason,
            (null, { } party) => $"canceled by {party}",
            _ => "canceled",
        };
}
