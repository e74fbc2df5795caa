using Rebus.Bus;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Puts what a partner answered (<see cref="DeliveryReceipt.Replies"/>) on the queues of the routes that read from
/// the endpoint, in the delivery's own transaction: the delivery and what it learned commit together, so a payment
/// YooKassa created is never known to the journal but lost to the saga. A redelivery produces the same reply ids,
/// which the routes' inboxes then skip as duplicates.
/// </summary>
public sealed class DeliveryReplies(RouterRuntime runtime)
{
    public async Task HandOffAsync(IBus bus, string endpointId, Envelope delivered, DeliveryReceipt receipt, StateChanges changes, DateTimeOffset now,
        Func<Serilog.ILogger> log)
    {
        if (receipt.Replies.Count == 0)
        {
            return;
        }
        var routes = runtime.RoutesFrom(endpointId).ToList();
        foreach (var reply in receipt.Replies)
        {
            // A reply with no correlation of its own belongs to the conversation of the message that caused it.
            var message = reply.CorrelationId is null ? reply with { CorrelationId = delivered.EffectiveCorrelationId } : reply;
            foreach (var route in routes)
            {
                Envelope envelope;
                try
                {
                    envelope = InboundHandOff.BuildEnvelope(route, endpointId, message, now) with { CausationId = delivered.MessageId };
                }
                catch (PermanentFailureException e)
                {
                    // The delivery itself happened and stays delivered; the answer that cannot become a message is on record.
                    changes.Journal.Add(Journal.Entry(now, delivered, route.Id, endpointId, JournalSteps.Rejected, $"reply {message.Origin}: {e.Message}"));
                    log().Warning("A reply from {Endpoint} could not become a message for route {Route}: {Error}", endpointId, route.Id, e.Message);
                    continue;
                }
                await bus.Advanced.Routing.Send(route.Queue, new RouteMessage(route.Id, envelope)).ConfigureAwait(false);
                changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, JournalSteps.Received, $"reply from {endpointId}: {message.Origin}"));
            }
        }
    }
}
