using Rebus.Activation;
using Router.Core.Endpoints;
using Router.Core.Routing;

namespace Router.Core.Sagas;

/// <summary>
/// An endpoint that is a long-running process rather than a partner: routes deliver to it like to any endpoint (so
/// references validate, <c>router routes</c> draws it, failures dead-letter per leg and replay works), but its
/// delivery queue runs a Rebus saga instead of the delivery stage. It sends its commands to <see cref="Targets"/>'
/// delivery queues in the same transaction as its state.
/// </summary>
public interface ISagaEndpoint : IOutboundEndpoint
{
    /// <summary>The endpoints the saga sends commands to: each needs a delivery queue and an outbound instance.</summary>
    IReadOnlyList<string> Targets { get; }

    /// <summary>Registers the saga's handlers on the bus of its delivery queue (which is configured with the runtime's saga storage).</summary>
    void Register(BuiltinHandlerActivator activator, SagaHosting hosting);
}

/// <param name="Track">Wraps each handled message, so the engine counts it in flight (drain waits for it).</param>
/// <param name="Abandon">Cancelled only when a stop's grace period runs out (not when the stop begins).</param>
public sealed record SagaHosting(RouterRuntime Runtime, Func<Func<Task>, Task> Track, CancellationToken Abandon);
