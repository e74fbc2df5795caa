using Router.Core.Canonical;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.ConfigValues;

namespace Router.Transformers.Orders;

/// <summary>
/// <c>- notification-request: { template: order-paid, channels: [sms] }</c>: an order or a status event →
/// <c>notification.requested</c>, one per channel the customer can be reached on (none: the message is dropped).
/// </summary>
public sealed class NotificationRequestTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "notification-request";

    public string Name => TransformerName;

    public string Description =>
        "order / payment / shipment status → notification.requested per channel (sms, email); the template follows the status unless set";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(
        new PropertySchema("template", new StringSchema
        {
            Enum = [.. NotificationTemplates.All],
            Description = "the template; by default order.created → order-accepted, payment pending/succeeded/canceled → order-accepted/order-paid/order-cancelled, " +
                          "shipment created or accepted → order-shipped, at the pickup point → order-ready-for-pickup, order.cancelled → order-cancelled",
        }),
        new PropertySchema("channels", new ArraySchema(new StringSchema { Enum = ["sms", "email"] }) { AllowSingle = true, Description = "default: both" }),
        new PropertySchema("phone", new StringSchema { Format = StringFormat.Expression, Description = "the customer's phone, for events that do not carry the customer (default $.customer.phone)" }),
        new PropertySchema("email", new StringSchema { Format = StringFormat.Expression, Description = "the customer's e-mail (default $.customer.email)" }),
        new PropertySchema("name", new StringSchema { Format = StringFormat.Expression, Description = "the customer's name (default $.customer.name)" }));

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var map = OrderCommandOptions.MappingOf(options, TransformerName);
        var channels = map?.GetStringList("channels") is { Count: > 0 } names
            ? names.Select(n => n == "sms" ? NotificationChannel.Sms : NotificationChannel.Email).Distinct().ToList()
            : [NotificationChannel.Sms, NotificationChannel.Email];
        return new NotificationRequestTransformer(map?.GetString("template"), channels,
            map is null ? null : ConfigExpressions.CompileOptional(map, "phone"),
            map is null ? null : ConfigExpressions.CompileOptional(map, "email"),
            map is null ? null : ConfigExpressions.CompileOptional(map, "name"));
    }
}

internal sealed class NotificationRequestTransformer(string? template, IReadOnlyList<NotificationChannel> channels,
    MessageExpression? phone, MessageExpression? email, MessageExpression? name) : ITransformer
{
    private const string Name = NotificationRequestTransformerFactory.TransformerName;

    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        OrderInput.RequireType(input, Name, MessageTypes.OrderCreated, MessageTypes.OrderCancelled, MessageTypes.PaymentStatusChanged,
            MessageTypes.ShipmentStatusChanged);
        var (facts, inferred) = input.Type switch
        {
            MessageTypes.OrderCreated => (NotificationFacts.Of(OrderInput.Read<Order>(input, Name)), NotificationTemplates.OrderAccepted),
            MessageTypes.OrderCancelled => (NotificationFacts.Of(OrderInput.Read<Order>(input, Name)), NotificationTemplates.OrderCancelled),
            MessageTypes.PaymentStatusChanged => FromPayment(OrderInput.Read<Payment>(input, Name)),
            _ => FromShipment(OrderInput.Read<ShipmentStatus>(input, Name)),
        };
        var chosen = template ?? inferred;
        if (chosen is null)
        {
            // A status nobody is told about (in transit, waiting for capture): nothing to send.
            return [];
        }
        var scope = MessageScope.Of(input);
        facts = facts with
        {
            Phone = Evaluate(phone, scope, "phone") ?? facts.Phone,
            Email = Evaluate(email, scope, "email") ?? facts.Email,
            CustomerName = Evaluate(name, scope, "name") ?? facts.CustomerName,
        };
        var result = new List<Envelope>();
        foreach (var channel in channels)
        {
            if (NotificationBuilder.Build(facts, chosen, channel) is { } notification)
            {
                result.Add(OrderInput.Command(input, facts.OrderNumber, NotificationBuilder.Leg(chosen, channel), MessageTypes.NotificationRequested, notification));
            }
        }
        return result;
    }

    private static (NotificationFacts, string?) FromPayment(Payment payment) => (
        new NotificationFacts
        {
            OrderNumber = payment.OrderNumber,
            Amount = payment.Amount,
            PaymentUrl = payment.ConfirmationUrl,
            Reason = payment.CancellationReason,
        },
        payment.Status switch
        {
            PaymentState.Pending => NotificationTemplates.OrderAccepted,
            PaymentState.Succeeded => NotificationTemplates.OrderPaid,
            PaymentState.Canceled => NotificationTemplates.OrderCancelled,
            _ => null,
        });

    private static (NotificationFacts, string?) FromShipment(ShipmentStatus status) => (
        new NotificationFacts
        {
            OrderNumber = status.OrderNumber,
            Carrier = status.Carrier,
            TrackingNumber = status.TrackingNumber,
        },
        status.State switch
        {
            ShipmentState.Created or ShipmentState.Accepted => NotificationTemplates.OrderShipped,
            ShipmentState.ArrivedAtPickupPoint => NotificationTemplates.OrderReadyForPickup,
            _ => null,
        });

    private static string? Evaluate(MessageExpression? expression, MessageScope scope, string what)
    {
        if (expression is null)
        {
            return null;
        }
        try
        {
            return expression.EvaluateString(scope);
        }
        catch (PermanentFailureException e)
        {
            throw new PermanentFailureException(e.Code, $"{Name}: {what}: {e.Message}", e);
        }
    }
}
