using Rebus.Bus;
using Rebus.Transport;
using Router.Core.Endpoints;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// The router's side of every inbound endpoint: gives each input an envelope per route (message id from the YAML
/// expression, the source, or the fallback), and puts them on the route queues in one durable commit, so the
/// endpoint may acknowledge its source as soon as this returns.
/// </summary>
/// <param name="onAccepted">Told after each commit that accepted something (the engine counts hand-offs to see when the sources are quiet).</param>
public sealed class InboundHandOff(RouterRuntime runtime, IBus oneWayBus, Action? onAccepted = null) : IInboundSink
{
    public async Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages,
        CancellationToken cancellationToken)
    {
        var routes = runtime.RoutesFrom(endpointId).ToList();
        var results = new HandOffResult[messages.Count];
        var now = runtime.Clock.GetUtcNow();
        var changes = new StateChanges();
        if (routes.Count == 0)
        {
            Array.Fill(results, new HandOffResult(HandOffStatus.Rejected, $"no route reads from endpoint '{endpointId}'"));
            return results;
        }
        using var scope = new RebusTransactionScope();
        for (var i = 0; i < messages.Count; i++)
        {
            List<(CompiledRoute Route, Envelope Envelope)> planned;
            try
            {
                // Build every route's envelope before sending any, so a message is either on all its routes or on none.
                planned = routes.Select(route => (route, BuildEnvelope(route, endpointId, messages[i], now))).ToList();
            }
            catch (PermanentFailureException e)
            {
                results[i] = new HandOffResult(HandOffStatus.Rejected, e.Message);
                continue;
            }
            foreach (var (route, envelope) in planned)
            {
                await oneWayBus.Advanced.Routing.Send(route.Queue, new RouteMessage(route.Id, envelope)).ConfigureAwait(false);
                changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, JournalSteps.Received, $"from {endpointId}: {messages[i].Origin}"));
            }
            results[i] = new HandOffResult(HandOffStatus.Accepted, MessageIds: planned.Select(p => p.Envelope.MessageId).Distinct().ToList());
        }
        runtime.Transport.EnlistState(scope.TransactionContext, changes);
        await scope.CompleteAsync().ConfigureAwait(false);
        if (onAccepted is not null && results.Any(r => r.Status == HandOffStatus.Accepted))
        {
            onAccepted();
        }
        return results;
    }

    public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken)
    {
        var changes = new StateChanges();
        changes.Journal.Add(new JournalEntry
        {
            At = runtime.Clock.GetUtcNow(),
            MessageId = messageId,
            Step = JournalSteps.Rejected,
            Detail = $"from {endpointId}: {origin}: {error}",
        });
        return runtime.State.Writer.CommitAsync(changes, cancellationToken);
    }

    /// <summary>The envelope a route gets for an inbound message; rejects what cannot be identified or typed.</summary>
    public static Envelope BuildEnvelope(CompiledRoute route, string endpointId, InboundMessage message, DateTimeOffset now)
    {
        var scope = new MessageScope(message.Payload);
        string messageId;
        if (route.MessageId is { } idExpression)
        {
            messageId = idExpression.EvaluateString(scope)
                ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message id expression '{idExpression}' found nothing in the payload");
        }
        else
        {
            messageId = message.MessageId ?? message.FallbackMessageId;
        }
        var type = message.Type ?? route.MessageType
            ?? throw new PermanentFailureException(ErrorCodes.UnknownMessageType,
                $"no message type: the source gave none and neither route '{route.Id}' nor endpoint '{endpointId}' sets 'type'");
        if (!MessageTypes.IsKnown(type))
        {
            throw new PermanentFailureException(ErrorCodes.UnknownMessageType, $"unknown message type '{type}'");
        }
        return new Envelope
        {
            MessageId = messageId,
            Type = type,
            Source = endpointId,
            EntityKey = route.EntityKey?.EvaluateString(scope) ?? message.EntityKey,
            CorrelationId = message.CorrelationId ?? messageId,
            OccurredAt = message.OccurredAt ?? now,
            Headers = message.Headers,
            Payload = message.Payload,
        };
    }
}
