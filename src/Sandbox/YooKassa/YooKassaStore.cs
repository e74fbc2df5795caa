namespace Router.Sandbox.YooKassa;

/// <summary>A request YooKassa refuses: the status and the error object it answers with.</summary>
public sealed class YooKassaProblem : Exception
{
    public YooKassaProblem(int status, string code, string description, string? parameter = null)
        : base(description)
    {
        Status = status;
        Code = code;
        Parameter = parameter;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Parameter { get; }

    public static YooKassaProblem Invalid(string description, string? parameter = null) => new(400, "invalid_request", description, parameter);

    public static YooKassaProblem NotFound(string what, string id) => new(404, "not_found", $"{what} {id} doesn't exist or access denied");
}

/// <summary>What a state change tells the merchant: a notification event and the object as it is now.</summary>
public sealed record YooKassaEvent(string Event, object Object, string ObjectId);

/// <summary>
/// Payments and refunds with YooKassa's state machine: pending → waiting_for_capture (capture=false) → succeeded,
/// or pending → succeeded (capture=true); pending or waiting_for_capture → canceled with cancellation_details.
/// Succeeded and canceled are final. Refunds only for succeeded, refundable payments, never beyond what was paid.
/// </summary>
public sealed class YooKassaStore
{
    public const string AccountId = "100500";
    public const string GatewayId = "100700";

    private readonly object gate = new();
    private readonly Dictionary<string, YooKassaPayment> payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YooKassaRefund> refunds = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private TimeProvider clock = TimeProvider.System;

    /// <summary>Raised (outside the lock) for every change YooKassa would notify about.</summary>
    public event Action<YooKassaEvent>? Changed;

    internal void UseClock(TimeProvider clock) => this.clock = clock;

    public IReadOnlyList<YooKassaPayment> Payments
    {
        get
        {
            lock (gate)
            {
                return order.Select(id => payments[id]).ToList();
            }
        }
    }

    public IReadOnlyList<YooKassaRefund> Refunds
    {
        get
        {
            lock (gate)
            {
                return refunds.Values.OrderBy(r => r.CreatedAt, StringComparer.Ordinal).ToList();
            }
        }
    }

    public YooKassaPayment? FindPayment(string id)
    {
        lock (gate)
        {
            return payments.GetValueOrDefault(id);
        }
    }

    public YooKassaRefund? FindRefund(string id)
    {
        lock (gate)
        {
            return refunds.GetValueOrDefault(id);
        }
    }

    public YooKassaPayment Create(YooKassaAmount amount, bool capture, string? description, IReadOnlyDictionary<string, string> metadata, string? returnUrl, string confirmationBase)
    {
        var id = NewId();
        var payment = new YooKassaPayment
        {
            Id = id,
            Status = "pending",
            Amount = amount,
            Description = description,
            Recipient = new YooKassaRecipient(AccountId, GatewayId),
            CreatedAt = YooKassaWire.Time(clock.GetUtcNow()),
            Confirmation = returnUrl is null ? null : new YooKassaConfirmation("redirect", $"{confirmationBase}?orderId={id}", returnUrl),
            Metadata = metadata,
            Capture = capture,
        };
        lock (gate)
        {
            payments[id] = payment;
            order.Add(id);
        }
        return payment;
    }

    /// <summary>The payer paid: waiting_for_capture for a two-stage payment, else succeeded.</summary>
    public YooKassaPayment Pay(string id) => Change(id, payment =>
    {
        if (payment.Status != "pending")
        {
            throw YooKassaProblem.Invalid($"Payment {id} is {payment.Status}: only a pending payment can be paid");
        }
        var now = clock.GetUtcNow();
        var paid = payment with
        {
            Paid = true,
            Confirmation = null,
            PaymentMethod = new YooKassaPaymentMethod("bank_card", payment.Id, false, "Bank card *4444",
                new YooKassaCard("555555", "4444", "07", "2030", "MasterCard")),
        };
        return payment.Capture
            ? paid with { Status = "succeeded", CapturedAt = YooKassaWire.Time(now), Refundable = true, IncomeAmount = Income(payment.Amount) }
            : paid with { Status = "waiting_for_capture", ExpiresAt = YooKassaWire.Time(now.AddDays(7)) };
    });

    /// <summary>The payer's bank or YooKassa refused (or the payer gave up): canceled with the given details.</summary>
    public YooKassaPayment Decline(string id, string party, string reason) => Change(id, payment =>
        payment.Status is "pending" or "waiting_for_capture"
            ? payment with { Status = "canceled", Paid = false, Confirmation = null, Refundable = false, CancellationDetails = new YooKassaCancellation(party, reason) }
            : throw YooKassaProblem.Invalid($"Payment {id} is {payment.Status} and can no longer be canceled"));

    public YooKassaPayment Capture(string id, decimal? amount) => Change(id, payment =>
    {
        if (payment.Status != "waiting_for_capture")
        {
            throw YooKassaProblem.Invalid($"Payment {id} is {payment.Status}: only a payment waiting_for_capture can be captured");
        }
        var captured = amount ?? payment.Value;
        if (captured <= 0 || captured > payment.Value)
        {
            throw YooKassaProblem.Invalid($"The capture amount must be positive and not more than the payment's {payment.Amount.Value}", "amount.value");
        }
        var capturedAmount = payment.Amount with { Value = YooKassaWire.Money(captured) };
        return payment with
        {
            Status = "succeeded",
            Amount = capturedAmount,
            IncomeAmount = Income(capturedAmount),
            CapturedAt = YooKassaWire.Time(clock.GetUtcNow()),
            ExpiresAt = null,
            Refundable = true,
        };
    });

    /// <summary>The merchant cancels a two-stage payment before capture.</summary>
    public YooKassaPayment CancelByMerchant(string id) => Change(id, payment =>
        payment.Status == "waiting_for_capture"
            ? payment with { Status = "canceled", Paid = false, ExpiresAt = null, CancellationDetails = new YooKassaCancellation("merchant", "canceled_by_merchant") }
            : throw YooKassaProblem.Invalid($"Payment {id} is {payment.Status}: only a payment waiting_for_capture can be canceled"));

    public YooKassaRefund Refund(string paymentId, YooKassaAmount amount, string? description)
    {
        YooKassaRefund refund;
        YooKassaPayment updated;
        lock (gate)
        {
            if (!payments.TryGetValue(paymentId, out var payment))
            {
                throw YooKassaProblem.Invalid($"Payment {paymentId} doesn't exist", "payment_id");
            }
            if (payment.Status != "succeeded" || !payment.Refundable)
            {
                throw YooKassaProblem.Invalid($"Payment {paymentId} is {payment.Status} and cannot be refunded", "payment_id");
            }
            if (amount.Currency != payment.Amount.Currency)
            {
                throw YooKassaProblem.Invalid($"The refund currency must be the payment's {payment.Amount.Currency}", "amount.currency");
            }
            var value = decimal.Parse(amount.Value, System.Globalization.CultureInfo.InvariantCulture);
            var left = payment.Value - payment.Refunded;
            if (value > left)
            {
                throw YooKassaProblem.Invalid($"The refund amount {amount.Value} exceeds what is left to refund ({YooKassaWire.Money(left)})", "amount.value");
            }
            refund = new YooKassaRefund
            {
                Id = NewId(),
                PaymentId = paymentId,
                Status = "succeeded",
                CreatedAt = YooKassaWire.Time(clock.GetUtcNow()),
                Amount = amount,
                Description = description,
            };
            refunds[refund.Id] = refund;
            var refunded = payment.Refunded + value;
            updated = payment with { RefundedAmount = payment.Amount with { Value = YooKassaWire.Money(refunded) }, Refundable = refunded < payment.Value };
            payments[paymentId] = updated;
        }
        Changed?.Invoke(new YooKassaEvent("refund.succeeded", refund, refund.Id));
        return refund;
    }

    public void Clear()
    {
        lock (gate)
        {
            payments.Clear();
            refunds.Clear();
            order.Clear();
        }
    }

    private YooKassaPayment Change(string id, Func<YooKassaPayment, YooKassaPayment> change)
    {
        YooKassaPayment updated;
        lock (gate)
        {
            if (!payments.TryGetValue(id, out var payment))
            {
                throw YooKassaProblem.NotFound("Payment", id);
            }
            updated = change(payment);
            payments[id] = updated;
        }
        Changed?.Invoke(new YooKassaEvent("payment." + updated.Status, updated, updated.Id));
        return updated;
    }

    /// <summary>The sandbox keeps 3.5% as YooKassa's fee, so income_amount differs from amount as it does live.</summary>
    private static YooKassaAmount Income(YooKassaAmount amount) =>
        amount with { Value = YooKassaWire.Money(decimal.Round(decimal.Parse(amount.Value, System.Globalization.CultureInfo.InvariantCulture) * 0.965m, 2)) };

    /// <summary>Ids shaped like YooKassa's: <c>22d6d597-000f-5000-9000-145f6df21d6f</c>.</summary>
    private static string NewId()
    {
        var hex = Guid.NewGuid().ToString("N");
        return $"{hex[..8]}-000f-5000-{"89ab"[hex[8] % 4]}000-{hex[20..32]}";
    }
}
