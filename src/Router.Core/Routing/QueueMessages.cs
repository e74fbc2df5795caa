using Router.Core.Messages;

namespace Router.Core.Routing;

/// <summary>Queue names: one per route and one delivery queue per outbound endpoint, so one partner's outage never blocks another.</summary>
public static class QueueNames
{
    public const string RoutePrefix = "route.";
    public const string DeliveryPrefix = "deliver.";

    /// <summary>Rebus's own error queue; the router's error handler writes to the dead-letter store instead, so it stays empty.</summary>
    public const string Error = "router.error";

    public static string ForRoute(string routeId) => RoutePrefix + routeId;

    public static string ForDelivery(string endpointId) => DeliveryPrefix + endpointId;
}

/// <summary>Headers the router adds to queue messages (besides Rebus's own).</summary>
public static class RouterHeaders
{
    /// <summary>Id of the dead letter this message replays; its success resolves that dead letter.</summary>
    public const string ReplayOf = "router-replay-of";

    /// <summary>How many deferred redeliveries this delivery has had after its in-process retries failed.</summary>
    public const string Redelivery = "router-redelivery";

    /// <summary>How many times this delivery found its endpoint's circuit open and waited, without a call, for it to close.</summary>
    public const string CircuitWaits = "router-circuit-waits";

    /// <summary>Set on messages released from parking, for the journal.</summary>
    public const string Unparked = "router-unparked";

    /// <summary>On a replayed <c>conflict</c> dead letter: the sides a person chose (see Conflicts.ConflictChoices).</summary>
    public const string ConflictChoices = "router-conflict-choices";
}

/// <summary>A message on a route queue: the route's stages run on it.</summary>
public sealed record RouteMessage(string RouteId, Envelope Envelope);

/// <summary>The entity key and version a route with <c>ordering:</c> stamped on a delivery, so the leg can refuse stale ones too.</summary>
public sealed record OrderingStamp(string Key, long Version);

/// <summary>A message on a delivery queue: one leg (route → endpoint) of one transformed envelope.</summary>
public sealed record DeliveryMessage(string RouteId, string EndpointId, Envelope Envelope, OrderingStamp? Ordering = null)
{
    public string Leg => $"{RouteId}/{EndpointId}";
}
