using System.Globalization;
using Rebus.Bus;
using Rebus.Handlers;
using Rebus.Pipeline;
using Rebus.Sagas;
using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Sagas;
using Router.Core.Stores;
using Router.Transformers.Orders;

namespace Router.Endpoints.OrderSaga;

/// <summary>
/// The order saga, one instance per order number. Every message first passes the leg's inbox (a repeat is journaled
/// <c>duplicate</c> and changes nothing); then the saga decides from its state, so a second payment.succeeded or a
/// timeout after payment does nothing. Every command is a delivery to its target's queue with a deterministic
/// message id (<c>order:1001/refund</c>) and is remembered in the state, so it is sent at most once; commands,
/// state, inbox and journal commit in one transaction with the message.
/// </summary>
internal sealed class OrderSagaHandler(OrderSagaEndpoint endpoint, SagaHosting hosting, IBus bus, IMessageContext context)
    : Saga<OrderSagaData>, IAmInitiatedBy<DeliveryMessage>, IHandleMessages<PaymentTimeout>
{
    private readonly StateChanges changes = new();

    // Commands are collected while deciding and sent at the end, all in this message's transaction.
    private readonly List<(string Queue, object Message)> outgoing = [];
    private TimeSpan? timeout;
    private RouterRuntime Runtime => hosting.Runtime;
    private OrderSagaOptions Options => endpoint.Options;

    protected override void CorrelateMessages(ICorrelationConfig<OrderSagaData> config)
    {
        // A message without an order number correlates with no saga ("" is never stored) and is dead-lettered below.
        config.Correlate<DeliveryMessage>(m => OrderNumbers.Of(m.Envelope) ?? "", d => d.OrderNumber);
        config.Correlate<PaymentTimeout>(m => m.OrderNumber, d => d.OrderNumber);
    }

    public Task Handle(DeliveryMessage message) => hosting.Track(() => HandleDeliveryAsync(message));

    public Task Handle(PaymentTimeout message) => hosting.Track(() => HandleTimeoutAsync(message));

    private async Task HandleDeliveryAsync(DeliveryMessage message)
    {
        var envelope = message.Envelope;
        var now = Runtime.Clock.GetUtcNow();
        var inboxScope = "leg:" + message.Leg;
        var hash = PayloadHash.Compute(envelope.Payload);
        var (verdict, existing) = await Runtime.State.Inbox.CheckAsync(inboxScope, envelope.MessageId, hash, hosting.Abandon).ConfigureAwait(false);
        if (verdict == InboxVerdict.Duplicate)
        {
            MarkAsUnchanged();
            changes.Journal.Add(Entry(now, envelope, message, JournalSteps.Duplicate, "already handled by the order saga"));
            await CommitAsync().ConfigureAwait(false);
            return;
        }
        if (verdict == InboxVerdict.Conflict)
        {
            MarkAsUnchanged();
            DeadLetter(now, message, ErrorCodes.IdempotencyConflict,
                $"message id '{envelope.MessageId}' reached {message.Leg} with payload {existing!.PayloadHash} and now arrives with {hash}");
            await CommitAsync().ConfigureAwait(false);
            return;
        }
        var number = OrderNumbers.Of(envelope);
        if (number is null)
        {
            MarkAsUnchanged();
            DeadLetter(now, message, ErrorCodes.MalformedInput,
                $"the order saga cannot tell which order {envelope.Type} {envelope.MessageId} is about: no entity key order:<number> and no orderNumber or number in the payload");
            await CommitAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            if (IsNew)
            {
                Data.OrderNumber = number;
            }
            Decide(envelope, message, now);
        }
        catch (PermanentFailureException e)
        {
            // Bad data (an order that cannot be read, no carrier for its delivery method): nothing of this message is applied.
            MarkAsUnchanged();
            changes.Journal.Clear();
            outgoing.Clear();
            timeout = null;
            DeadLetter(now, message, e.Code, e.Message);
            await CommitAsync().ConfigureAwait(false);
            return;
        }
        changes.InboxEntries.Add(new InboxEntry(inboxScope, envelope.MessageId, hash, now));
        if (context.Headers.ContainsKey(RouterHeaders.ReplayOf))
        {
            changes.ResolvedDeadLetters.Add(new DeadLetterResolution(envelope.MessageId, message.RouteId, message.EndpointId));
        }
        await CommitAsync().ConfigureAwait(false);
    }

    private async Task HandleTimeoutAsync(PaymentTimeout message)
    {
        if (message.SagaEndpoint != endpoint.Id)
        {
            MarkAsUnchanged();
            return;
        }
        var now = Runtime.Clock.GetUtcNow();
        var cause = new Envelope
        {
            MessageId = $"{OrderInput.EntityKey(Data.OrderNumber)}/payment-timeout",
            Type = MessageTypes.OrderCancelled,
            Source = endpoint.Id,
            EntityKey = OrderInput.EntityKey(Data.OrderNumber),
            CorrelationId = Data.CorrelationId,
            OccurredAt = now,
            Payload = RouterJson.ParseElement(Data.OrderJson),
        };
        if (Data.Paid || OrderSagaStages.IsFinal(Data.Stage))
        {
            MarkAsUnchanged();
            Decision(now, cause, $"payment timeout passed; nothing to do ({Data.Stage})");
        }
        else
        {
            Compensate(cause, now, $"not paid within {Duration(Options.PaymentTimeout)}", paymentCancelled: false);
        }
        await CommitAsync().ConfigureAwait(false);
    }

    private void Decide(Envelope envelope, DeliveryMessage message, DateTimeOffset now)
    {
        if (IsNew && envelope.Type != MessageTypes.OrderCreated)
        {
            MarkAsUnchanged();
            Decision(now, envelope, $"{envelope.Type} for an order the saga has not seen (no order.created yet); ignored");
            return;
        }
        switch (envelope.Type)
        {
            case MessageTypes.OrderCreated:
                OnOrderCreated(envelope, now);
                break;
            case MessageTypes.OrderCancelled:
                Compensate(envelope, now, "cancelled" + (Reason(envelope) is { } why ? $": {why}" : ""), paymentCancelled: false);
                break;
            case MessageTypes.PaymentStatusChanged:
                OnPayment(envelope, OrderInput.Read<Payment>(envelope, "order saga"), now);
                break;
            case MessageTypes.RefundStatusChanged:
                var refund = OrderInput.Read<Refund>(envelope, "order saga");
                Decision(now, envelope, $"refund {refund.RefundId} is {Kebab(refund.Status)}");
                break;
            case MessageTypes.ShipmentStatusChanged:
                OnShipment(envelope, OrderInput.Read<ShipmentStatus>(envelope, "order saga"), now);
                break;
            default:
                MarkAsUnchanged();
                Decision(now, envelope, $"the order saga has nothing to do with {envelope.Type}; ignored");
                break;
        }
    }

    private void OnOrderCreated(Envelope envelope, DateTimeOffset now)
    {
        if (!IsNew)
        {
            MarkAsUnchanged();
            Decision(now, envelope, $"order.created {envelope.MessageId} for an order already under way ({Data.Stage}); ignored");
            return;
        }
        var order = OrderInput.Read<Order>(envelope, "order saga");
        // Checked now, so an order no carrier can take fails before anyone is asked for money.
        var carrier = CarrierEndpointOf(order);
        Data.CorrelationId = envelope.EffectiveCorrelationId;
        Data.OrderJson = RouterJson.Serialize(order);
        var payment = PaymentRequestBuilder.Build(order, Options.PaymentRequest);
        Send(envelope, Options.Payment, OrderSagaLegs.Payment, MessageTypes.PaymentRequested, payment);
        timeout = Options.PaymentTimeout;
        Decision(now, envelope,
            $"created -> payment of {Amount(payment.Amount)} requested from {Options.Payment}; will ship by {carrier}; cancelled if not paid within {Duration(Options.PaymentTimeout)}");
    }

    private void OnPayment(Envelope envelope, Payment payment, DateTimeOffset now)
    {
        Data.PaymentId ??= payment.PaymentId;
        Data.PaymentStatus = Kebab(payment.Status);
        switch (payment.Status)
        {
            case PaymentState.Pending:
                if (payment.ConfirmationUrl is { } url)
                {
                    Data.PaymentUrl = url;
                }
                if (Data.Stage == OrderSagaStages.Cancelled)
                {
                    Decision(now, envelope, $"payment {payment.PaymentId} pending after the order was cancelled; left to expire");
                    return;
                }
                var told = Data.PaymentUrl is null ? [] : Notify(envelope, NotificationTemplates.OrderAccepted);
                Decision(now, envelope, $"payment {payment.PaymentId} pending" + (told.Count > 0 ? $" -> customer notified ({string.Join(", ", told)})" : ""));
                return;
            case PaymentState.WaitingForCapture:
                if (Data.Stage == OrderSagaStages.Cancelled)
                {
                    var cancelled = CancelPayment(envelope);
                    Decision(now, envelope, $"payment {payment.PaymentId} waiting for capture after the order was cancelled" + (cancelled is null ? "" : " -> " + cancelled));
                    return;
                }
                Decision(now, envelope, $"payment {payment.PaymentId} authorised, waiting for capture");
                return;
            case PaymentState.Succeeded:
                OnPaid(envelope, payment, now);
                return;
            case PaymentState.Canceled:
                if (Data.Stage == OrderSagaStages.Cancelled || Data.Stage == OrderSagaStages.Delivered)
                {
                    Decision(now, envelope, $"payment {payment.PaymentId} cancelled; the order is already {Data.Stage}");
                    return;
                }
                Compensate(envelope, now, "payment cancelled" + (payment.CancellationReason is { } reason ? $" ({reason})" : ""), paymentCancelled: true);
                return;
        }
    }

    private void OnPaid(Envelope envelope, Payment payment, DateTimeOffset now)
    {
        if (Data.Paid)
        {
            Decision(now, envelope, $"payment {payment.PaymentId} succeeded again; already paid, nothing to do");
            return;
        }
        Data.Paid = true;
        Data.PaymentId = payment.PaymentId;
        Data.PaidAmount = payment.Amount.Amount;
        Data.PaidCurrency = payment.Amount.Currency;
        if (Data.Stage == OrderSagaStages.Cancelled)
        {
            // Paid after the order was given up (the buyer paid past the timeout): the money goes back.
            var refunded = Refund(envelope, "the order was cancelled before it was paid");
            Decision(now, envelope, $"payment {payment.PaymentId} succeeded after the order was cancelled -> {refunded}");
            return;
        }
        var order = Order();
        var carrier = CarrierEndpointOf(order);
        var shipment = ShipmentRequestBuilder.Build(order, Options.ShipmentRequest);
        Send(envelope, carrier, OrderSagaLegs.Shipment, MessageTypes.ShipmentRequested, shipment);
        Data.CarrierEndpoint = carrier;
        Data.Carrier = shipment.Carrier;
        var actions = new List<string> { $"shipment requested from {carrier}" };
        if (Options.OneC is { } onec)
        {
            Send(envelope, onec, OrderSagaLegs.OneCOrder, MessageTypes.OrderCreated, order);
            Data.SentToOneC = true;
            actions.Add($"order sent to {onec}");
        }
        var told = Notify(envelope, NotificationTemplates.OrderPaid);
        if (told.Count > 0)
        {
            actions.Add($"customer notified ({string.Join(", ", told)})");
        }
        Data.Stage = OrderSagaStages.Paid;
        Decision(now, envelope, $"paid ({Amount(payment.Amount)}) -> {string.Join(", ", actions)}");
    }

    private void OnShipment(Envelope envelope, ShipmentStatus status, DateTimeOffset now)
    {
        Data.ShipmentState = Kebab(status.State);
        if (status.TrackingNumber is { } tracking)
        {
            Data.TrackingNumber = tracking;
        }
        var what = $"shipment {Kebab(status.State)} at {status.Carrier}" + (status.TrackingNumber is { } t ? $" (track {t})" : "");
        if (Data.Stage == OrderSagaStages.Cancelled && status.State != ShipmentState.Invalid)
        {
            Decision(now, envelope, $"{what}; the order is cancelled, nothing more to do");
            return;
        }
        switch (status.State)
        {
            case ShipmentState.Created or ShipmentState.Accepted:
                if (Data.Stage == OrderSagaStages.Paid)
                {
                    Data.Stage = OrderSagaStages.Shipped;
                }
                var shipped = Notify(envelope, NotificationTemplates.OrderShipped);
                Decision(now, envelope, what + (shipped.Count > 0 ? $" -> customer notified ({string.Join(", ", shipped)})" : ""));
                return;
            case ShipmentState.ArrivedAtPickupPoint:
                Data.Stage = OrderSagaStages.ReadyForPickup;
                var ready = Notify(envelope, NotificationTemplates.OrderReadyForPickup);
                Decision(now, envelope, what + (ready.Count > 0 ? $" -> customer notified ({string.Join(", ", ready)})" : ""));
                return;
            case ShipmentState.Delivered:
                Data.Stage = OrderSagaStages.Delivered;
                // The data stays (not MarkAsComplete) so a late event is recognised and trace can tell the whole story.
                Decision(now, envelope, $"{what} -> order complete");
                return;
            case ShipmentState.Invalid:
                Data.ShipmentRefused = true;
                if (Data.Stage == OrderSagaStages.Cancelled)
                {
                    Decision(now, envelope, $"{what}; the order is already cancelled");
                    return;
                }
                Compensate(envelope, now, $"the carrier refused the shipment" + (status.CarrierName is { } reason ? $" ({reason})" : ""), paymentCancelled: false);
                return;
            default:
                Decision(now, envelope, what);
                return;
        }
    }

    /// <summary>
    /// Undoes what was done, each part at most once: cancel the shipment, give the money back (refund a paid payment,
    /// cancel an authorised one), tell 1C, tell the customer.
    /// </summary>
    private void Compensate(Envelope cause, DateTimeOffset now, string reason, bool paymentCancelled)
    {
        if (Data.Stage == OrderSagaStages.Cancelled)
        {
            MarkAsUnchanged();
            Decision(now, cause, $"{reason}; already cancelled ({Data.CancelReason}), nothing more to do");
            return;
        }
        if (Data.Stage == OrderSagaStages.Delivered)
        {
            MarkAsUnchanged();
            Decision(now, cause, $"{reason}; the order was already delivered, so nothing is undone (a return is a person's job)");
            return;
        }
        Data.Stage = OrderSagaStages.Cancelled;
        Data.CancelReason = reason;
        var actions = new List<string>();
        if (Data.CarrierEndpoint is { } carrier && !Data.ShipmentRefused && !Data.HasSent(OrderSagaLegs.ShipmentCancel))
        {
            Send(cause, carrier, OrderSagaLegs.ShipmentCancel, MessageTypes.ShipmentCancelRequested, new ShipmentCancellation
            {
                OrderNumber = Data.OrderNumber,
                Carrier = Data.Carrier ?? carrier,
                Reason = reason,
            });
            actions.Add($"shipment cancel requested from {carrier}");
        }
        if (!paymentCancelled)
        {
            if (Data.Paid)
            {
                actions.Add(Refund(cause, reason));
            }
            else if (CancelPayment(cause) is { } cancelled)
            {
                actions.Add(cancelled);
            }
            else if (Data.PaymentId is { } pending)
            {
                actions.Add($"payment {pending} not taken, left to expire");
            }
        }
        if (Data.SentToOneC && Options.OneC is { } onec && !Data.HasSent(OrderSagaLegs.OneCCancel))
        {
            Send(cause, onec, OrderSagaLegs.OneCCancel, MessageTypes.OrderCancelled, Order());
            actions.Add($"{onec} told");
        }
        var told = Notify(cause, NotificationTemplates.OrderCancelled, reason);
        if (told.Count > 0)
        {
            actions.Add($"customer notified ({string.Join(", ", told)})");
        }
        Decision(now, cause, $"{reason} -> cancelled" + (actions.Count > 0 ? ": " + string.Join(", ", actions) : ""));
    }

    private string Refund(Envelope cause, string reason)
    {
        if (Data.HasSent(OrderSagaLegs.Refund))
        {
            return "refund already requested";
        }
        var amount = new Money(Data.PaidAmount ?? Order().Totals.Total.Amount, Data.PaidCurrency ?? Order().Totals.Total.Currency);
        Send(cause, Options.Payment, OrderSagaLegs.Refund, MessageTypes.RefundRequested, new RefundRequest
        {
            OrderNumber = Data.OrderNumber,
            PaymentId = Data.PaymentId!,
            Amount = amount,
            Reason = reason,
        });
        return $"refund of {Amount(amount)} requested from {Options.Payment}";
    }

    /// <summary>Only an authorised (waiting_for_capture) payment can be cancelled; a pending one expires by itself at YooKassa.</summary>
    private string? CancelPayment(Envelope cause)
    {
        if (Data.PaymentStatus != Kebab(PaymentState.WaitingForCapture) || Data.PaymentId is not { } paymentId || Data.HasSent(OrderSagaLegs.PaymentCancel))
        {
            return null;
        }
        Send(cause, Options.Payment, OrderSagaLegs.PaymentCancel, MessageTypes.PaymentCancelRequested,
            new PaymentAction { OrderNumber = Data.OrderNumber, PaymentId = paymentId });
        return $"payment {paymentId} cancel requested from {Options.Payment}";
    }

    /// <summary>Sends <paramref name="template"/> on each configured channel the customer has an address for, once per template and channel.</summary>
    private List<string> Notify(Envelope cause, string template, string? reason = null)
    {
        var order = Order();
        var facts = NotificationFacts.Of(order) with
        {
            PaymentUrl = Data.PaymentUrl,
            Carrier = Data.Carrier,
            TrackingNumber = Data.TrackingNumber,
            Reason = reason,
        };
        var told = new List<string>();
        foreach (var (channel, target) in Options.Notifications.OrderBy(n => n.Key))
        {
            var leg = NotificationBuilder.Leg(template, channel);
            if (Data.HasSent(leg) || NotificationBuilder.Build(facts, template, channel) is not { } notification)
            {
                continue;
            }
            Send(cause, target, leg, MessageTypes.NotificationRequested, notification);
            told.Add(NotificationBuilder.ChannelName(channel));
        }
        return told;
    }

    /// <summary>A command to <paramref name="target"/>'s delivery queue, in this message's transaction, remembered so it goes out once.</summary>
    private void Send<T>(Envelope cause, string target, string leg, string type, T payload)
    {
        var envelope = OrderInput.Command(cause, Data.OrderNumber, leg, type, payload) with
        {
            Source = endpoint.Id,
            CorrelationId = Data.CorrelationId ?? cause.EffectiveCorrelationId,
            Headers = Envelope.EmptyHeaders,
        };
        outgoing.Add((QueueNames.ForDelivery(target), new DeliveryMessage(endpoint.Id, target, envelope)));
        Data.Sent.Add(leg);
    }

    private string CarrierEndpointOf(Order order)
    {
        var method = order.Delivery?.Method
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"order {order.Number} has no delivery method, so the saga cannot choose a carrier");
        return Options.Carriers.GetValueOrDefault(method)
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"order {order.Number}: delivery method '{method}' has no carrier under {endpoint.Id}'s carriers ({string.Join(", ", Options.Carriers.Keys)})");
    }

    private Order Order() => RouterJson.Deserialize<Order>(Data.OrderJson);

    private void Decision(DateTimeOffset now, Envelope envelope, string detail)
    {
        changes.Journal.Add(new JournalEntry
        {
            At = now,
            MessageId = envelope.MessageId,
            CorrelationId = Data.CorrelationId ?? envelope.CorrelationId,
            EntityKey = OrderInput.EntityKey(Data.OrderNumber),
            Route = endpoint.Id,
            Endpoint = endpoint.Id,
            Step = JournalSteps.Saga,
            Detail = $"order {Data.OrderNumber}: {detail}",
        });
        Runtime.Logger.ForContext("CorrelationId", Data.CorrelationId).Information("Order saga {Saga}: order {Order}: {Decision}", endpoint.Id, Data.OrderNumber, detail);
    }

    private JournalEntry Entry(DateTimeOffset now, Envelope envelope, DeliveryMessage message, string step, string detail) =>
        Journal.Entry(now, envelope, message.RouteId, message.EndpointId, step, detail) with
        {
            EntityKey = OrderNumbers.Of(envelope) is { } n ? OrderInput.EntityKey(n) : envelope.EntityKey,
        };

    private void DeadLetter(DateTimeOffset now, DeliveryMessage message, string code, string text)
    {
        changes.DeadLetters.Add(DeadLetters.For(message.Envelope, message.RouteId, message.EndpointId, FailureKind.Permanent, code, text, now, null, 1));
        changes.Journal.Add(Entry(now, message.Envelope, message, JournalSteps.DeadLettered, $"{code}: {text}"));
        Runtime.Logger.Warning("Order saga {Saga} dead-lettered {MessageId}: {Error}", endpoint.Id, message.Envelope.MessageId, text);
    }

    private async Task CommitAsync()
    {
        foreach (var (queue, message) in outgoing)
        {
            await bus.Advanced.Routing.Send(queue, message).ConfigureAwait(false);
        }
        if (timeout is { } delay)
        {
            await bus.DeferLocal(delay, new PaymentTimeout(endpoint.Id, Data.OrderNumber, Data.CorrelationId)).ConfigureAwait(false);
        }
        Runtime.Transport.EnlistState(context.TransactionContext, changes);
    }

    private static string? Reason(Envelope envelope) =>
        envelope.Payload.ValueKind == System.Text.Json.JsonValueKind.Object && envelope.Payload.TryGetProperty("reason", out var r)
        && r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString() : null;

    /// <summary>As written in the YAML (30m, 1h, 45s) where it is a whole number of one unit.</summary>
    private static string Duration(TimeSpan span) => span switch
    {
        { TotalHours: var h } when h >= 1 && h == Math.Floor(h) => $"{h:0}h",
        { TotalMinutes: var m } when m >= 1 && m == Math.Floor(m) => $"{m:0}m",
        { TotalSeconds: var s } when s == Math.Floor(s) => $"{s:0}s",
        _ => span.ToString("c", CultureInfo.InvariantCulture),
    };

    private static string Amount(Money money) => $"{money.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {money.Currency}";

    private static string Kebab<TEnum>(TEnum value) where TEnum : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, RouterJson.Options).Trim('"');
}
