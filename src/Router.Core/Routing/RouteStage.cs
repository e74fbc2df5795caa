using System.Diagnostics;
using Rebus.Bus;
using Rebus.Pipeline;
using Router.Core.Conflicts;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Snapshots;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Runs on a route queue: inbox (idempotency) → ordering → the transformer steps → conflicts and full-snapshot
/// deactivations → fan-out of one delivery
/// message per matching destination, all committed with the received message in one transaction.
/// </summary>
public sealed class RouteStage(RouterRuntime runtime, ParkingLot parking, CancellationToken abandon)
{
    private readonly ConflictGate conflicts = new(runtime);

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
            await ReleaseConflictHoldAsync(bus, context, route, ResolveIfReplay(changes, isReplay, envelope, route.Id), changes, cancellationToken).ConfigureAwait(false);
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
                    await ReleaseConflictHoldAsync(bus, context, route, ResolveIfReplay(changes, isReplay, envelope, route.Id), changes, cancellationToken)
                        .ConfigureAwait(false);
                    runtime.Transport.EnlistState(context.TransactionContext, changes);
                    return;
                }
                changes.EntityVersions.Add(new EntityVersionUpdate(inboxScope, key, version));
            }

            var outputs = route.Transform(envelope);
            var produced = outputs;
            if (route.Conflicts is { } sync)
            {
                var choices = ConflictChoices.FromHeader(context.Headers.GetValueOrDefault(RouterHeaders.ConflictChoices));
                var outcome = await conflicts.ApplyAsync(route, sync, outputs, isReplay, choices, now, cancellationToken).ConfigureAwait(false);
                if (outcome is not ConflictsSettled settled)
                {
                    // Nothing of this message is applied (not even its ordering version): it runs again when released or replayed.
                    runtime.Transport.EnlistState(context.TransactionContext, HoldOrReview(envelope, route.Id, outcome, stamp, now, Log));
                    return;
                }
                outputs = settled.Outputs;
                changes.Journal.AddRange(settled.Journal);
                changes.EntitySnapshots.AddRange(settled.Snapshots);
            }
            if (route.FullSnapshot is { } fullSnapshot)
            {
                // After the steps: only they know whether this message is a full snapshot and what its keys are.
                outputs = await new FullSnapshotGate(runtime.State.EntitySnapshots)
                    .ApplyAsync(route.Id, fullSnapshot, envelope, outputs, changes, now, cancellationToken).ConfigureAwait(false);
            }
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
            changes.Journal.Add(Journal.Entry(now, envelope, route.Id, null, produced.Count == 0 ? JournalSteps.Filtered : route.Steps.Count == 0 ? JournalSteps.Routed : JournalSteps.Transformed,
                outputs.Count == 0 && produced.Count > 0 ? "nothing left to deliver after conflict resolution" : Describe(route, outputs, legs), elapsed));
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
        if (ResolveIfReplay(changes, isReplay, envelope, route.Id) is { } resolution)
        {
            if (stamp is not null)
            {
                await parking.ReleaseIfClearAsync(bus, route.Id, stamp.Key, resolution, changes, cancellationToken).ConfigureAwait(false);
            }
            await ReleaseConflictHoldAsync(bus, context, route, resolution, changes, cancellationToken).ConfigureAwait(false);
        }
        runtime.Transport.EnlistState(context.TransactionContext, changes);
    }

    /// <summary>
    /// A replayed dead letter of a two-way sync route (a <c>conflict</c>, or any other that names the customer) that
    /// went through, or turned out a duplicate or stale, lets go of what was parked behind its entity on every route
    /// of the sync.
    /// </summary>
    private async Task ReleaseConflictHoldAsync(IBus bus, IMessageContext context, CompiledRoute route, DeadLetterResolution? resolution,
        StateChanges changes, CancellationToken cancellationToken)
    {
        if (resolution is null || route.Conflicts is not { } sync
            || !long.TryParse(context.Headers.GetValueOrDefault(RouterHeaders.ReplayOf), System.Globalization.CultureInfo.InvariantCulture, out var deadLetterId))
        {
            return;
        }
        if (await runtime.State.DeadLetters.GetAsync(deadLetterId, cancellationToken).ConfigureAwait(false) is { EntityKey: { } entityKey })
        {
            await parking.ReleaseConflictHoldAsync(bus, sync.Policy.Entity, entityKey, resolution, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The state changes of a two-way sync message that waits behind an open dead letter or needs a person.</summary>
    private StateChanges HoldOrReview(Envelope envelope, string routeId, ConflictOutcome outcome, OrderingStamp? stamp, DateTimeOffset now,
        Func<Serilog.ILogger> log)
    {
        var changes = new StateChanges();
        switch (outcome)
        {
            case HeldByOpenDeadLetter held:
                changes.Parked.Add(new ParkedMessage
                {
                    Route = routeId, EntityKey = held.EntityKey, MessageId = envelope.MessageId, ParkedAt = now, EnvelopeJson = RouterJson.Serialize(envelope),
                });
                changes.Journal.Add(Journal.Entry(now, envelope, routeId, null, JournalSteps.Parked,
                    $"'{held.EntityKey}' has an open dead letter on a route of its two-way sync; parked until it is replayed or archived"));
                log().Information("Parked {MessageId}: {EntityKey} has an open dead letter in its two-way sync", envelope.MessageId, held.EntityKey);
                break;
            case NeedsReview review:
                var facts = stamp is null ? new Dictionary<string, string>() : StampFacts(stamp);
                facts[ConflictReport.FactKey] = review.Report.ToJson();
                DeadLetter(changes, envelope, routeId, FailureKind.Permanent, ErrorCodes.Conflict, review.Report.Describe(), now, review.EntityKey, facts);
                changes.EntitySnapshots.AddRange(review.Snapshots);
                log().Warning("Conflict on route {Route} for {EntityKey} in {MessageId}: {Fields} changed on both sides; dead-lettered for review",
                    routeId, review.EntityKey, envelope.MessageId, review.Report.ConflictingFields);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "a settled outcome is delivered, not held");
        }
        return changes;
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
