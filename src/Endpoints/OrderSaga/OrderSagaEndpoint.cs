using Rebus.Activation;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Core.Sagas;

namespace Router.Endpoints.OrderSaga;

/// <summary>
/// The <c>order-saga</c> endpoint: its delivery queue runs <see cref="OrderSagaHandler"/>. Planning shows what the
/// saga is given (for <c>router preview</c>); it never delivers on its own.
/// </summary>
public sealed class OrderSagaEndpoint(string id, OrderSagaOptions options, Serilog.ILogger logger) : ISagaEndpoint
{
    public string Id => id;

    public OrderSagaOptions Options => options;

    public IReadOnlyList<string> Targets { get; } = options.Targets.ToList();

    public void Register(BuiltinHandlerActivator activator, SagaHosting hosting) =>
        activator.Register((bus, context) => new OrderSagaHandler(this, hosting, bus, context));

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context) => new()
    {
        Kind = "saga",
        Target = $"{OrderSagaEndpointKind.Name} '{id}' (its commands go to {string.Join(", ", Targets)})",
        Body = System.Text.Encoding.UTF8.GetBytes(RouterJson.Serialize(envelope.Payload, indented: true)),
        ContentType = "application/json",
    };

    public Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        logger.Error("Order saga {Endpoint} was asked to deliver {Leg} directly; its queue runs the saga", id, context.Leg);
        throw new InvalidOperationException($"'{id}' is an order saga: messages reach it through its own queue, which runs the saga");
    }
}
