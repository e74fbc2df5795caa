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
    /// Called when a dead letter of (<paramref name="routeId"/>, <paramref name="entityKey"/>) is resolved or archived
    /// in this transaction: if no other open dead letter holds the entity, sends its parked messages back to the route.
    /// </summary>
    public async Task ReleaseIfClearAsync(IBus bus, string routeId, string entityKey, string resolvedMessageId, StateChanges changes,
        CancellationToken cancellationToken)
    {
        var open = await runtime.State.DeadLetters.ListAsync(new DeadLetterQuery
        {
            Route = routeId,
            Statuses = [DeadLetterStatus.Pending, DeadLetterStatus.Replayed],
            Limit = 10_000,
        }, cancellationToken).ConfigureAwait(false);
        if (open.Any(d => d.EntityKey == entityKey && d.MessageId != resolvedMessageId))
        {
            return;
        }
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
