using Rebus.Bus;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Holds back later messages of an entity while an earlier one sits in the dead-letter store (ordering), and lets
/// them go, in the order they arrived, in the same transaction that resolves or archives the last open dead letter.
/// </summary>
public sealed class ParkingLot(RouterRuntime runtime)
{
    /// <summary>
    /// Called when a dead letter of (<paramref name="routeId"/>, <paramref name="entityKey"/>) is resolved
    /// (<paramref name="resolving"/>) or was archived (null) in this transaction: if no other open dead letter holds
    /// the entity, sends its parked messages back to the route, oldest first, in the same transaction.
    /// </summary>
    public async Task ReleaseIfClearAsync(IBus bus, string routeId, string entityKey, DeadLetterResolution? resolving, StateChanges changes,
        CancellationToken cancellationToken)
    {
        var held = resolving is null
            ? await runtime.State.DeadLetters.HasOpenForEntityAsync(routeId, entityKey, cancellationToken).ConfigureAwait(false)
            : await runtime.State.DeadLetters.HasOpenForEntityAsync(routeId, entityKey, resolving, cancellationToken).ConfigureAwait(false);
        if (held)
        {
            return;
        }
        await ReleaseAsync(bus, routeId, entityKey, changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Like <see cref="ReleaseIfClearAsync"/> for an entity of a two-way sync (<c>conflicts:</c>): its messages park
    /// behind a dead letter on any route of the same entity, so they go only when none of those routes holds it, and
    /// then from every one of them.
    /// </summary>
    public async Task ReleaseConflictHoldAsync(IBus bus, string entity, string entityKey, DeadLetterResolution? resolving, StateChanges changes,
        CancellationToken cancellationToken)
    {
        var routes = Conflicts.ConflictGate.SiblingRoutes(runtime, entity);
        foreach (var routeId in routes)
        {
            var held = resolving is not null && resolving.Route == routeId
                ? await runtime.State.DeadLetters.HasOpenForEntityAsync(routeId, entityKey, resolving, cancellationToken).ConfigureAwait(false)
                : await runtime.State.DeadLetters.HasOpenForEntityAsync(routeId, entityKey, cancellationToken).ConfigureAwait(false);
            if (held)
            {
                return;
            }
        }
        foreach (var routeId in routes)
        {
            await ReleaseAsync(bus, routeId, entityKey, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReleaseAsync(IBus bus, string routeId, string entityKey, StateChanges changes, CancellationToken cancellationToken)
    {
        var parked = await runtime.State.Parking.ListAsync(routeId, entityKey, cancellationToken).ConfigureAwait(false);
        var now = runtime.Clock.GetUtcNow();
        foreach (var message in parked)
        {
            var envelope = RouterJson.Deserialize<Envelope>(message.EnvelopeJson);
            await bus.Advanced.Routing.Send(QueueNames.ForRoute(routeId), new RouteMessage(routeId, envelope),
                new Dictionary<string, string> { [RouterHeaders.Unparked] = message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                .ConfigureAwait(false);
            changes.Unparked.Add(message.Id);
            changes.Journal.Add(Journal.Entry(now, envelope, routeId, null, JournalSteps.Unparked, $"released after the dead letter of '{entityKey}' cleared"));
        }
    }
}
