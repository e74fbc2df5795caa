namespace Router.Core.Canonical;

public enum PaymentState { Pending, WaitingForCapture, Succeeded, Canceled }

public sealed record Payment
{
    public required string PaymentId { get; init; }
    public required string OrderNumber { get; init; }
    public required Money Amount { get; init; }
    public PaymentState Status { get; init; }
    public bool Paid { get; init; }
    public string? ConfirmationUrl { get; init; }
    public string? CancellationReason { get; init; }
    public DateTimeOffset? CapturedAt { get; init; }
    public string Provider { get; init; } = "yookassa";
}

public enum RefundState { Pending, Succeeded, Canceled }

public sealed record Refund
{
    public required string RefundId { get; init; }
    public required string PaymentId { get; init; }
    public required string OrderNumber { get; init; }
    public required Money Amount { get; init; }
    public RefundState Status { get; init; }
    public string? Reason { get; init; }
}
