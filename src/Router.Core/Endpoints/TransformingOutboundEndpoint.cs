using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Transformers;

namespace Router.Core.Endpoints;

/// <summary>
/// An endpoint's own <c>steps</c>: the message is reshaped for this endpoint just before it plans the delivery. That
/// is what lets a fallback receive a different format than its primary (1C's HTTP service takes the canonical order
/// as JSON; the FTP exchange folder takes it as a CommerceML document), while the leg's message, its hash and its
/// idempotency key stay those of the canonical message. Transformers are pure, so planning stays free of I/O.
/// </summary>
public sealed class TransformingOutboundEndpoint(IOutboundEndpoint inner, IReadOnlyList<CompiledStep> steps) : IOutboundEndpoint
{
    public string Id => inner.Id;

    public static IOutboundEndpoint Wrap(IOutboundEndpoint endpoint, IReadOnlyList<CompiledStep> steps) =>
        steps.Count == 0 ? endpoint : new TransformingOutboundEndpoint(endpoint, steps);

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var current = envelope;
        for (var i = 0; i < steps.Count; i++)
        {
            var output = steps[i].Transformer.Transform(current, new TransformContext($"endpoint:{Id}", i));
            if (output.Count != 1)
            {
                throw new PermanentFailureException(ErrorCodes.EndpointSteps,
                    $"step {i + 1} ({steps[i].Definition.Transformer}) of endpoint '{Id}' gave {output.Count} messages for {envelope.MessageId}; " +
                    "an endpoint's steps must give exactly one (filter and split on the route instead)");
            }
            current = output[0];
        }
        return inner.Plan(current, context);
    }

    public Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken) =>
        inner.DeliverAsync(plan, context, cancellationToken);
}
