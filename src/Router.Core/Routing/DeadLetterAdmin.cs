using Rebus.Bus;
using Rebus.Transport;
using Router.Core.Conflicts;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

public enum ReplayOutcome
{
    /// <summary>Sent back to its queue.</summary>
    Replayed,

    /// <summary>Would be sent (dry run).</summary>
    WouldReplay,

    /// <summary>Not pending any more (replayed by someone else, resolved, archived).</summary>
    NotPending,

    /// <summary>Cannot be replayed as it is (an idempotency conflict would conflict again).</summary>
    Refused,
}

public sealed record ReplayResult(long Id, ReplayOutcome Outcome, string Detail);

/// <summary>
/// What admins do with dead letters: replay (re-sends exactly the failed leg, or the route stage), archive. Each
/// replay claims its dead letter (pending → replayed) in the same commit as the re-sent message, so replaying
/// twice, or two admins at once, sends once.
/// </summary>
public sealed class DeadLetterAdmin(RouterRuntime runtime, IBus oneWayBus)
{
    /// <param name="choices">For <c>conflict</c> dead letters: the side to take on each conflicting field; ignored by the others.</param>
    public async Task<IReadOnlyList<ReplayResult>> ReplayAsync(IReadOnlyList<DeadLetter> deadLetters, bool dryRun, string by,
        CancellationToken cancellationToken, ConflictChoices? choices = null)
    {
        var results = new List<ReplayResult>(deadLetters.Count);
        foreach (var dead in deadLetters)
        {
            results.Add(await ReplayOneAsync(dead, dryRun, by, choices, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<ReplayResult> ReplayOneAsync(DeadLetter dead, bool dryRun, string by, ConflictChoices? choices, CancellationToken cancellationToken)
    {
        var destination = dead.Stage == DeadLetterStage.Delivery ? QueueNames.ForDelivery(dead.Endpoint!) : QueueNames.ForRoute(dead.Route);
        if (dead.Status != DeadLetterStatus.Pending)
        {
            return new ReplayResult(dead.Id, ReplayOutcome.NotPending, $"status is {dead.Status.ToString().ToLowerInvariant()}");
        }
        if (dead.ErrorCode == ErrorCodes.IdempotencyConflict)
        {
            return new ReplayResult(dead.Id, ReplayOutcome.Refused,
                "an idempotency conflict would conflict again: the first version was processed; send the new version under a new message id (router send --message-id) or archive this one");
        }
        if (!runtime.Routes.ContainsKey(dead.Route) || (dead.Stage == DeadLetterStage.Delivery && !runtime.Outbound.ContainsKey(dead.Endpoint!)))
        {
            return new ReplayResult(dead.Id, ReplayOutcome.Refused, $"route '{dead.Route}' or endpoint '{dead.Endpoint}' is not in the current configuration");
        }
        var conflict = ConflictReport.From(dead);
        if (conflict is not null && ConflictChoices.Missing(conflict, choices) is { Count: > 0 } missing)
        {
            return new ReplayResult(dead.Id, ReplayOutcome.Refused,
                $"both sides changed {string.Join(", ", missing)}: choose whose values to take with --take platform|onec, or per field with --field {missing[0]}=platform|onec");
        }
        var chosen = conflict is null ? null : choices;
        if (dryRun)
        {
            return new ReplayResult(dead.Id, ReplayOutcome.WouldReplay,
                $"would send {dead.MessageId} to {destination}" + (chosen is null || chosen.IsEmpty ? "" : $" ({chosen})"));
        }
        var envelope = RouterJson.Deserialize<Envelope>(dead.EnvelopeJson);
        object message = dead.Stage == DeadLetterStage.Delivery
            ? new DeliveryMessage(dead.Route, dead.Endpoint!, envelope, OrderingOf(dead))
            : new RouteMessage(dead.Route, envelope);
        // The claim (pending → replayed) commits with the re-sent message: a crash cannot leave a dead letter marked
        // replayed with nothing in flight, and on the SQLite transport a lost claim rolls the send back, so racing
        // admins send once. Transports that commit state after sending (see IRouterTransport) cannot undo the send.
        var changes = new StateChanges();
        var note = chosen is null || chosen.IsEmpty ? null : chosen.ToString();
        changes.ReplayClaims.Add(new ReplayClaim(dead.Id, new ReplayRecord(runtime.Clock.GetUtcNow(), by, note)));
        changes.Journal.Add(Journal.Entry(runtime.Clock.GetUtcNow(), envelope, dead.Route, dead.Endpoint, JournalSteps.Replayed,
            $"dead letter {dead.Id} replayed by {by}" + (note is null ? "" : $", {note}")));
        var headers = new Dictionary<string, string>
        {
            [RouterHeaders.ReplayOf] = dead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (chosen is { IsEmpty: false })
        {
            headers[RouterHeaders.ConflictChoices] = chosen.ToHeader();
        }
        try
        {
            using var scope = new RebusTransactionScope();
            await oneWayBus.Advanced.Routing.Send(destination, message, headers).ConfigureAwait(false);
            runtime.Transport.EnlistState(scope.TransactionContext, changes);
            await scope.CompleteAsync().ConfigureAwait(false);
        }
        catch (ReplayClaimLostException)
        {
            return new ReplayResult(dead.Id, ReplayOutcome.NotPending, "no longer pending");
        }
        return new ReplayResult(dead.Id, ReplayOutcome.Replayed, $"sent {dead.MessageId} to {destination}" + (note is null ? "" : $" ({note})"));
    }

    /// <summary>Archives, then lets go of messages parked behind the archived ones (nothing holds their entity any more).</summary>
    public async Task<int> ArchiveAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        var count = await runtime.State.DeadLetters.ArchiveAsync(deadLetters.Select(d => d.Id).ToList(), cancellationToken).ConfigureAwait(false);
        var archived = new StateChanges();
        foreach (var dead in deadLetters)
        {
            archived.Journal.Add(new JournalEntry
            {
                At = runtime.Clock.GetUtcNow(),
                MessageId = dead.MessageId,
                CorrelationId = dead.CorrelationId == dead.MessageId ? null : dead.CorrelationId,
                EntityKey = dead.EntityKey,
                Route = dead.Route,
                Endpoint = dead.Endpoint,
                Step = JournalSteps.Archived,
                Detail = $"dead letter {dead.Id} archived",
            });
        }
        await runtime.State.Writer.CommitAsync(archived, cancellationToken).ConfigureAwait(false);
        var parking = new ParkingLot(runtime);
        foreach (var group in deadLetters.Where(d => d.EntityKey is not null && EntityOfSync(d) is null
                         && runtime.Routes.TryGetValue(d.Route, out var r) && r.Ordering is not null)
                     .GroupBy(d => (d.Route, d.EntityKey!)))
        {
            var changes = new StateChanges();
            using var scope = new RebusTransactionScope();
            await parking.ReleaseIfClearAsync(oneWayBus, group.Key.Route, group.Key.Item2, null, changes, cancellationToken).ConfigureAwait(false);
            runtime.Transport.EnlistState(scope.TransactionContext, changes);
            await scope.CompleteAsync().ConfigureAwait(false);
        }
        // On a two-way sync route a dead letter holds its customer on every route of the sync, ordered or not.
        foreach (var held in deadLetters.Where(d => d.EntityKey is not null)
                     .Select(d => (Entity: EntityOfSync(d), EntityKey: d.EntityKey!))
                     .Where(h => h.Entity is not null)
                     .Distinct())
        {
            var changes = new StateChanges();
            using var scope = new RebusTransactionScope();
            await parking.ReleaseConflictHoldAsync(oneWayBus, held.Entity!, held.EntityKey, null, changes, cancellationToken).ConfigureAwait(false);
            runtime.Transport.EnlistState(scope.TransactionContext, changes);
            await scope.CompleteAsync().ConfigureAwait(false);
        }
        return count;
    }

    /// <summary>The conflict entity of the two-way sync the dead letter's route belongs to (its report's if the route is gone), or null.</summary>
    private string? EntityOfSync(DeadLetter dead) =>
        runtime.Routes.GetValueOrDefault(dead.Route)?.Conflicts?.Policy.Entity ?? ConflictReport.From(dead)?.Entity;

    private static OrderingStamp? OrderingOf(DeadLetter dead) =>
        dead.Facts.TryGetValue("ordering-key", out var key) && dead.Facts.TryGetValue("ordering-version", out var version)
            && long.TryParse(version, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? new OrderingStamp(key, v)
            : null;
}
