using Rebus.Sagas;

namespace Router.Endpoints.OrderSaga;

/// <summary>
/// What the saga knows about one order. Plain settable properties: Rebus's own storages (in memory, PostgreSQL)
/// serialise it with Newtonsoft, the SQLite one with System.Text.Json.
/// </summary>
public sealed class OrderSagaData : ISagaData
{
    public Guid Id { get; set; }
    public int Revision { get; set; }

    public string OrderNumber { get; set; } = "";

    /// <summary>The order's correlation id: every command and journal row of the saga carries it.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>The canonical order (JSON) the saga was started with: commands are built from it.</summary>
    public string OrderJson { get; set; } = "";

    public string Stage { get; set; } = OrderSagaStages.AwaitingPayment;

    public string? PaymentId { get; set; }

    /// <summary>The last payment status seen (pending, waiting-for-capture, succeeded, canceled).</summary>
    public string? PaymentStatus { get; set; }

    public string? PaymentUrl { get; set; }
    public bool Paid { get; set; }
    public decimal? PaidAmount { get; set; }
    public string? PaidCurrency { get; set; }

    /// <summary>The endpoint the shipment was requested from, once it was.</summary>
    public string? CarrierEndpoint { get; set; }
    public string? Carrier { get; set; }
    public string? TrackingNumber { get; set; }
    public string? ShipmentState { get; set; }

    /// <summary>The carrier refused the shipment for good (State=Invalid): there is nothing to cancel there.</summary>
    public bool ShipmentRefused { get; set; }

    public bool SentToOneC { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>The commands already sent (their legs: payment, refund, notify/order-paid/sms…): each goes out at most once.</summary>
    public List<string> Sent { get; set; } = [];

    public bool HasSent(string leg) => Sent.Contains(leg);
}

public static class OrderSagaStages
{
    public const string AwaitingPayment = "awaiting-payment";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string ReadyForPickup = "ready-for-pickup";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string stage) => stage is Delivered or Cancelled;
}

/// <summary>Deferred to the saga's own queue when the order is created: if it arrives and the order is still unpaid, the order is cancelled.</summary>
public sealed record PaymentTimeout(string SagaEndpoint, string OrderNumber, string? CorrelationId);
