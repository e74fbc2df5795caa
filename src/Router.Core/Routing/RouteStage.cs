using System.Diagnostics;
using Rebus.Bus;
using Rebus.Pipeline;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Runs on a route queue: inbox (idempotency) → ordering → the transformer steps → fan-out of one delivery
/// message per matching destination, all committed with the received message in one transaction.
/// </summary>
public sealed class RouteStage(RouterRuntime runtime, ParkingLot parking, CancellationToken abandon)
{
    public async Task HandleAsync(IBus bus, IMessageContext context, RouteMessage message)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellationToken = abandon;
        var route = runtime.Routes.GetValueOrDefault(message.RouteId)
            ?? throw new PermanentFailureException(ErrorCodes.Unexpected, $"no route '{message.RouteId}' in the current configuration");
        var envelope = message.Envelope;
        var now = runtime.Clock.GetUtcNow();
        var changes = new StateChanges();
        var isReplay = context.Headers.TryGetValue(RouterHeaders.ReplayOf, out _);
        // Built only when something is logged: most messages log nothing, and this is the hot path.
        Serilog.ILogger Log() => runtime.Logger.ForContext("MessageId", envelope.MessageId).ForContext("CorrelationId", envelope.EffectiveCorrelationId)
            .ForContext("Route", route.Id);
        var inboxScope = "route:" + route.Id;
        var hash = PayloadHash.Compute(envelope.Payload);
        if (!MessageTypes.IsKnown(envelope.Type))
        {
            // Sources are checked at hand-off; this catches what came around them (an old queue message, a hand-made envelope).
            DeadLetter(changes, envelope, route.Id, FailureKind.Permanent, ErrorCodes.UnknownMessageType, $"unknown message type '{envelope.Type}'", now, null, null);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }

        var (verdict, existing) = await runtime.State.Inbox.CheckAsync(inboxScope, envelope.MessageId, hash, cancellationToken).ConfigureAwait(false);
        if (verdict == InboxVerdict.Duplicate)
        {
            changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, JournalSteps.Duplicate, "same message id and payload seen before"));
            ResolveIfReplay(changes, isReplay, envelope, route.Id);
            Log().Information("Duplicate {MessageId} on route {Route} skipped", envelope.MessageId, route.Id);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }
        if (verdict == InboxVerdict.Conflict)
        {
            var text = $"message id '{envelope.MessageId}' was first seen with payload {existing!.PayloadHash} and now arrives with {hash}";
            DeadLetter(changes, envelope, route.Id, FailureKind.Permanent, ErrorCodes.IdempotencyConflict, text, now, null,
                new Dictionary<string, string> { ["first-payload-hash"] = existing.PayloadHash, ["new-payload-hash"] = hash, ["first-seen-at"] = existing.FirstSeenAt.ToString("O") });
            Log().Warning("Idempotency conflict on route {Route} for {MessageId}: {FirstHash} vs {NewHash}", route.Id, envelope.MessageId, existing.PayloadHash, hash);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }

        OrderingStamp? stamp = null;
        try
        {
            if (route.Ordering is { } ordering)
            {
                var scope = MessageScope.Of(envelope);
                var key = ordering.Key.EvaluateString(scope)
                    ?? throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"ordering key '{ordering.Key}' found nothing in the payload");
                var version = ordering.Version.EvaluateVersion(scope)
                    ?? throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"ordering version '{ordering.Version}' found nothing in the payload");
                stamp = new OrderingStamp(key, version);
                if (!isReplay && await runtime.State.DeadLetters.HasOpenForEntityAsync(route.Id, key, cancellationToken).ConfigureAwait(false))
                {
                    changes.Parked.Add(new ParkedMessage
                    {
                        Route = route.Id, EntityKey = key, MessageId = envelope.MessageId, ParkedAt = now, EnvelopeJson = RouterJson.Serialize(envelope),
                    });
                    changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, JournalSteps.Parked, $"'{key}' has an open dead letter; parked until it is replayed or archived"));
                    Log().Information("Parked {MessageId}: {EntityKey} has an open dead letter on route {Route}", envelope.MessageId, key, route.Id);
                    runtime.Transport.EnlistState(context.TransactionContext, changes);
                    return;
                }
                var applied = await runtime.State.EntityVersions.GetAsync(inboxScope, key, cancellationToken).ConfigureAwait(false);
                if (applied is { } last && version <= last)
                {
                    changes.InboxEntries.Add(new InboxEntry(inboxScope, envelope.MessageId, hash, now));
                    changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, JournalSteps.Stale, $"version {version} of '{key}' is not newer than {last}"));
                    ResolveIfReplay(changes, isReplay, envelope, route.Id);
                    runtime.Transport.EnlistState(context.TransactionContext, changes);
                    return;
                }
                changes.EntityVersions.Add(new EntityVersionUpdate(inboxScope, key, version));
            }

            var outputs = route.Transform(envelope);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // Every 'when' is evaluated before anything is sent: one that fails must dead-letter the message whole,
            // not after some legs were already on their way.
            var deliveries = outputs
                .SelectMany(output =>
                {
                    var scope = MessageScope.Of(output);
                    return route.Destinations
                        .Where(destination => destination.When is not { } when || when.IsTrue(scope))
                        .Select(destination => new DeliveryMessage(route.Id, destination.EndpointId, output, stamp));
                })
                .ToList();
            foreach (var delivery in deliveries)
            {
                await bus.Advanced.Routing.Send(QueueNames.ForDelivery(delivery.EndpointId), delivery).ConfigureAwait(false);
            }
            var legs = deliveries.Select(d => outputs.Count == 1 ? d.EndpointId : $"{d.Envelope.MessageId} -> {d.EndpointId}").ToList();
            // One row for the whole route stage (what came out, where it went): the legs' own rows follow.
            changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, outputs.Count == 0 ? JournalSteps.Filtered : route.Steps.Count == 0 ? JournalSteps.Routed : JournalSteps.Transformed,
                Describe(route, outputs, legs), elapsed));
        }
        catch (Exception e) when (e is PermanentFailureException or TransientFailureException or System.Text.Json.JsonException)
        {
            // A transform is a pure function: a failure is about this data and repeating it cannot help.
            changes = new StateChanges();
            DeadLetter(changes, envelope, route.Id, FailureKind.Permanent, FailureClassifier.CodeOf(e), e.Message, now, stamp?.Key,
                stamp is null ? null : StampFacts(stamp), DeadLetters.Describe(e));
            // The data is at fault, not the code: the message says it all, a stack trace would only bury it.
            Log().Warning("Route {Route} failed for {MessageId}: {ErrorCode}: {Error}", route.Id, envelope.MessageId, FailureClassifier.CodeOf(e), e.Message);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }

        changes.InboxEntries.Add(new InboxEntry(inboxScope, envelope.MessageId, hash, now));
        if (ResolveIfReplay(changes, isReplay, envelope, route.Id) is { } resolution && stamp is not null)
        {
            await parking.ReleaseIfClearAsync(bus, route.Id, stamp.Key, resolution, changes, cancellationToken).ConfigureAwait(false);
        }
        runtime.Transport.EnlistState(context.TransactionContext, changes);
    }

    private static string Describe(CompiledRoute route, IReadOnlyList<Envelope> outputs, List<string> legs)
    {
        if (outputs.Count == 0)
        {
            return route.Steps.Count == 0 ? "no envelope" : "no envelope left after the steps";
        }
        var produced = outputs.Count == 1 ? outputs[0].Type : $"{outputs.Count} envelopes";
        return legs.Count == 0 ? $"{produced}; no destination matched" : $"{produced} to {string.Join(", ", legs)}";
    }

    internal static Dictionary<string, string> StampFacts(OrderingStamp stamp) => new()
    {
        ["ordering-key"] = stamp.Key,
        ["ordering-version"] = stamp.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static DeadLetterResolution? ResolveIfReplay(StateChanges changes, bool isReplay, Envelope envelope, string routeId)
    {
        if (!isReplay)
        {
            return null;
        }
        var resolution = new DeadLetterResolution(envelope.MessageId, routeId, null);
        changes.ResolvedDeadLetters.Add(resolution);
        return resolution;
    }

    private void DeadLetter(StateChanges changes, Envelope envelope, string routeId, FailureKind kind, string code, string message,
        DateTimeOffset now, string? entityKey, IReadOnlyDictionary<string, string>? facts, string? details = null)
    {
        changes.DeadLetters.Add(DeadLetters.For(envelope, routeId, null, kind, code, message, now, details, entityKey: entityKey, facts: facts));
        changes.Journal.Add(Journal.Entry(now, envelope, routeId, null, JournalSteps.DeadLettered, $"{code}: {message}"));
    }
}
