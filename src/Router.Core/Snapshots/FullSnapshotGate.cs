using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Stores;

namespace Router.Core.Snapshots;

/// <summary>
/// A route's <c>fullSnapshot:</c>. When the steps' outputs include a full snapshot, every key the previous full snapshot
/// had and this one lacks gets a deactivation envelope, and this snapshot's keys become the remembered set. Both go into
/// the message's own transaction; the set is replaced compare-and-set, so two snapshots at once cannot both win.
/// </summary>
public sealed class FullSnapshotGate(IEntitySnapshotStore snapshots)
{
    /// <summary>The entity-snapshot scope of the key sets; the document key is the option's entity.</summary>
    public const string Scope = "full-snapshot";

    /// <summary>
    /// Returns the outputs with any deactivations appended, adding the set's replacement and a journal row to
    /// <paramref name="changes"/>. Outputs that are not part of a full snapshot (a changes-only file) change nothing.
    /// </summary>
    public async Task<IReadOnlyList<Envelope>> ApplyAsync(string routeId, CompiledFullSnapshot option, Envelope input,
        IReadOnlyList<Envelope> outputs, StateChanges changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(changes);
        Envelope? sample = null;
        var keys = new List<string>();
        foreach (var output in outputs)
        {
            var scope = MessageScope.Of(output);
            if (!option.When.IsTrue(scope))
            {
                continue;
            }
            sample ??= output;
            keys.Add(option.Key.EvaluateString(scope)
                ?? throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"fullSnapshot key '{option.Key}' found nothing in {output.MessageId}"));
        }
        if (sample is null)
        {
            return outputs;
        }

        var current = SnapshotKeySet.Of(keys);
        var stored = await snapshots.GetAsync(Scope, option.Entity, cancellationToken).ConfigureAwait(false);
        var previous = stored is null ? null : SnapshotKeySet.FromJson(stored.DocumentJson);
        if (previous is not null && previous.SameKeys(current))
        {
            // Nothing to deactivate and nothing to remember: not rewriting a large set that did not change.
            return outputs;
        }
        changes.EntitySnapshots.Add(new EntitySnapshotUpdate(Scope, option.Entity, stored?.Revision ?? 0, current.ToJson(), now));
        var missing = previous?.MissingFrom(current) ?? [];
        if (missing.Count == 0)
        {
            return outputs;
        }

        var result = new List<Envelope>(outputs.Count + missing.Count);
        result.AddRange(outputs);
        result.AddRange(missing.Select(key => Deactivations.For(input, sample, key)));
        changes.Journal.Add(Journal.Entry(now, input, routeId, null, JournalSteps.Deactivated, Describe(option.Entity, missing, previous!.Count)));
        return result;
    }

    private static string Describe(string entity, IReadOnlyList<string> missing, int previousCount)
    {
        const int shown = 10;
        var names = string.Join(", ", missing.Take(shown).Select(k => $"'{k}'"));
        var more = missing.Count > shown ? $" and {missing.Count - shown} more" : "";
        return $"{missing.Count} of the {previousCount} keys in the previous full snapshot of '{entity}' are missing: deactivated {names}{more}";
    }
}
