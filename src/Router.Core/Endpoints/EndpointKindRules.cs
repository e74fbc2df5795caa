using Router.Core.Config;
using Router.Core.Config.Nodes;

namespace Router.Core.Endpoints;

/// <summary>How the routes use one endpoint: what a kind needs to know to judge options that depend on the direction.</summary>
public sealed record EndpointUsage(bool IsSource, bool IsTarget)
{
    public bool IsUsed => IsSource || IsTarget;
}

/// <summary>
/// A kind whose options have rules across keys that the schema cannot state (keys that belong to one mode, a
/// direction one mode cannot serve). <c>validate</c> reports them with every other problem.
/// </summary>
public interface ICheckedEndpointKind
{
    IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage);
}

/// <summary>
/// A kind whose endpoints others call on the router's HTTP listener (1C's exchange, partner webhooks): the router
/// then needs <c>router.http.listen</c>, and two endpoints must not claim the same path.
/// </summary>
public interface IHttpServedEndpointKind
{
    /// <summary>The paths this endpoint answers on, e.g. <c>/1c/exchange</c>; empty when these options are not served over HTTP.</summary>
    IReadOnlyList<string> ServedPaths(ConfigMapping options, EndpointUsage usage);
}

/// <summary>
/// A kind whose endpoints send to other endpoints themselves (the order saga): <c>validate</c> checks that each one
/// named can receive deliveries, and the router gives each a delivery queue as if a route delivered to it.
/// </summary>
public interface IDelegatingEndpointKind
{
    /// <summary>The endpoint ids the options name as targets, with their nodes for error marks.</summary>
    IEnumerable<ConfigScalar> DeliveryTargets(ConfigMapping options);
}
