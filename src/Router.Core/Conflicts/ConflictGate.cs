using System.Globalization;
using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Expressions;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Stores;

namespace Router.Core.Conflicts;

/// <summary>
/// The route stage's conflict step, between the transformer steps and the fan-out: for each envelope the steps made,
/// finds its entity, waits behind an open dead letter of that entity (on any route of the same entity), detects
/// fields both sides changed, settles them by the route's strategy or a person's choices, and records what the router
/// now knows of the entity — all in the message's own transaction.
/// </summary>
public sealed class ConflictGate(RouterRuntime runtime)
{
    public async Task<ConflictOutcome> ApplyAsync(CompiledRoute route, CompiledConflicts conflicts, IReadOnlyList<Envelope> outputs, bool isReplay,
        ConflictChoices? choices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = conflicts.Policy;
        var items = outputs.Select(output => (Output: output, Key: KeyOf(conflicts, output))).ToList();
        // A replay is the dead letter that holds the entity: it must not wait behind itself.
        if (!isReplay)
        {
            foreach (var key in items.Select(i => i.Key).Distinct(StringComparer.Ordinal))
            {
                var entityKey = policy.EntityKeyOf(key);
                if (await IsHeldAsync(policy.Entity, entityKey, cancellationToken).ConfigureAwait(false))
                {
                    return new HeldByOpenDeadLetter(entityKey);
                }
            }
        }

        var working = new Dictionary<string, WorkingSnapshot>(StringComparer.Ordinal);
        var settled = new List<Envelope>();
        var journal = new List<JournalEntry>();
        var cases = new List<ConflictCase>();
        foreach (var (output, key) in items)
        {
            if (!working.TryGetValue(key, out var snapshot))
            {
                snapshot = await LoadAsync(policy.Entity, key, cancellationToken).ConfigureAwait(false);
                working[key] = snapshot;
            }
            var incoming = new IncomingVersion(policy.Side, output.MessageId, TrackedValues.Read(output.Payload, policy.Fields), UpdatedAtOf(conflicts, output));
            var detection = ConflictDetector.Detect(snapshot.State, incoming, policy.Fields);
            var resolution = ConflictResolver.Resolve(detection, policy.Strategy, choices);
            var entityKey = policy.EntityKeyOf(key);
            if (resolution.NeedsReview)
            {
                cases.Add(ConflictCase.From(key, entityKey, output.MessageId, detection, policy.Strategy));
                continue;
            }
            var resolved = output with { Payload = TrackedValues.Write(output.Payload, resolution.Values) };
            var hash = PayloadHash.Compute(resolved.Payload);
            var nothingNew = snapshot.State?.LastSentTo(policy.Side.Other())?.PayloadHash == hash;
            snapshot.State = SyncStateTransitions.Record(snapshot.State, detection, resolution, nothingNew ? null : hash, now);
            // Rows name the customer even when the envelope does not, so 'router trace customer:42' finds them.
            if (resolution.Decisions.Count > 0)
            {
                journal.Add(Journal.Entry(now, resolved, route.Id, null, JournalSteps.ConflictResolved, Describe(entityKey, resolution)) with
                {
                    EntityKey = resolved.EntityKey ?? entityKey,
                });
            }
            if (nothingNew)
            {
                journal.Add(Journal.Entry(now, resolved, route.Id, null, JournalSteps.Skipped,
                    $"{entityKey}: the resolved version is what {policy.Side.Other().Label()} was last sent; nothing to deliver") with
                {
                    EntityKey = resolved.EntityKey ?? entityKey,
                });
                continue;
            }
            settled.Add(resolved);
        }

        if (cases.Count > 0)
        {
            // Nothing of this message is applied: other entities it carried are settled again when it is replayed.
            var bumps = cases.Select(c => working[c.Key]).Where(s => s.Stored is not null)
                .Select(s => new EntitySnapshotUpdate(policy.Entity, s.Key, s.Stored!.Revision, s.Stored.DocumentJson, now))
                .ToList();
            return new NeedsReview(ConflictReport.For(policy, cases), bumps);
        }
        var writes = working.Values
            .Select(s => new EntitySnapshotUpdate(policy.Entity, s.Key, s.Stored?.Revision ?? 0, RouterJson.Serialize(s.State), now))
            .ToList();
        return new ConflictsSettled(settled, journal, writes);
    }

    /// <summary>Any route of the same entity has an open dead letter for it (a conflict under review, or one parked behind).</summary>
    private async Task<bool> IsHeldAsync(string entity, string entityKey, CancellationToken cancellationToken)
    {
        foreach (var sibling in SiblingRoutes(runtime, entity))
        {
            if (await runtime.State.DeadLetters.HasOpenForEntityAsync(sibling, entityKey, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The routes that share conflict entity <paramref name="entity"/>: they park behind each other's dead letters.</summary>
    public static IReadOnlyList<string> SiblingRoutes(RouterRuntime runtime, string entity) =>
        runtime.Routes.Values.Where(r => r.Conflicts?.Policy.Entity == entity).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();

    private async Task<WorkingSnapshot> LoadAsync(string entity, string key, CancellationToken cancellationToken)
    {
        var stored = await runtime.State.EntitySnapshots.GetAsync(entity, key, cancellationToken).ConfigureAwait(false);
        return new WorkingSnapshot(key, stored) { State = stored is null ? null : RouterJson.Deserialize<SyncState>(stored.DocumentJson) };
    }

    private static string KeyOf(CompiledConflicts conflicts, Envelope output) =>
        conflicts.Key.EvaluateString(MessageScope.Of(output)) is { Length: > 0 } key
            ? key
            : throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
                $"conflict key '{conflicts.Key}' found nothing in {output.MessageId}; the route's steps must produce the entity with its key");

    private static DateTimeOffset? UpdatedAtOf(CompiledConflicts conflicts, Envelope output)
    {
        var value = conflicts.UpdatedAt.EvaluateElement(MessageScope.Of(output));
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
            $"updatedAt '{conflicts.UpdatedAt}' gave {value.GetRawText()} in {output.MessageId}, which is not a date-time such as 2026-03-01T10:00:00+03:00");
    }

    private static string Describe(string entityKey, Resolution resolution) =>
        // Field names and winners only: the values are personal data, and the journal is read more widely than dead letters.
        $"{entityKey}: " + string.Join("; ", resolution.Decisions.Select(d => $"{d.Field} -> {d.Winner.Label()} ({d.Reason})"));

    private sealed class WorkingSnapshot(string key, EntitySnapshot? stored)
    {
        public string Key { get; } = key;

        /// <summary>As read at the start of the message: its revision is what the commit expects.</summary>
        public EntitySnapshot? Stored { get; } = stored;

        /// <summary>As the message has moved it so far (several envelopes of one message may be about one entity).</summary>
        public SyncState? State { get; set; }
    }
}
