using System.Text.Json;

namespace Router.Core.Conflicts;

/// <summary>A conflicting field settled: whose value was taken, and why (the strategy, recency, or a person's choice).</summary>
public sealed record FieldDecision(string Field, SyncSide Winner, string Reason);

/// <summary>A tracked field's value after resolution and the side it came from.</summary>
public sealed record ResolvedField(string Field, JsonElement? Value, SyncSide From, bool TakenFromIncoming);

public sealed record Resolution(IReadOnlyList<ResolvedField> Fields, IReadOnlyList<FieldDecision> Decisions, IReadOnlyList<FieldComparison> Unresolved)
{
    public bool NeedsReview => Unresolved.Count > 0;

    public IReadOnlyDictionary<string, JsonElement?> Values => Fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
}

/// <summary>
/// Merges the incoming version into the agreed one field by field: a field the incoming side changed takes its
/// value; a field it did not change keeps the agreed value (so a stale copy never undoes the other side's edit);
/// a conflicting field goes to the side the strategy, or a person, picks — or stays unresolved for review.
/// </summary>
public static class ConflictResolver
{
    public static Resolution Resolve(Detection detection, ConflictStrategy strategy, ConflictChoices? choices = null)
    {
        var incomingSide = detection.Incoming.Side;
        var fields = new List<ResolvedField>();
        var decisions = new List<FieldDecision>();
        var unresolved = new List<FieldComparison>();
        foreach (var field in detection.Fields)
        {
            if (!field.Conflicting)
            {
                var takeIncoming = detection.FirstSight || field.IncomingChanged;
                fields.Add(takeIncoming
                    ? new ResolvedField(field.Name, field.Incoming, incomingSide, true)
                    : new ResolvedField(field.Name, field.Other, incomingSide.Other(), false));
                continue;
            }
            var decision = choices?.For(field.Name) is { } chosen
                ? new FieldDecision(field.Name, chosen, "chosen at replay")
                : Automatic(strategy, field, detection);
            if (decision is null)
            {
                unresolved.Add(field);
                continue;
            }
            decisions.Add(decision);
            fields.Add(decision.Winner == incomingSide
                ? new ResolvedField(field.Name, field.Incoming, incomingSide, true)
                : new ResolvedField(field.Name, field.Other, incomingSide.Other(), false));
        }
        return new Resolution(fields, decisions, unresolved);
    }

    /// <summary>The side the strategy picks by itself for a conflicting field, or null when it leaves the field to a person.</summary>
    public static FieldDecision? Automatic(ConflictStrategy strategy, FieldComparison field, Detection detection) => strategy switch
    {
        ConflictStrategy.PlatformWins => new FieldDecision(field.Name, SyncSide.Platform, "platform_wins"),
        ConflictStrategy.OnecWins => new FieldDecision(field.Name, SyncSide.Onec, "onec_wins"),
        ConflictStrategy.MergeSmart when field.Field.Severity != FieldSeverity.Critical => MostRecent(field, detection),
        _ => null,
    };

    /// <summary>
    /// The later of the two changes by their <c>updatedAt</c>: the incoming version's, and the one that set the agreed
    /// value. When either time is unknown, the incoming change, which reached the router last.
    /// </summary>
    private static FieldDecision MostRecent(FieldComparison field, Detection detection)
    {
        var incoming = detection.Incoming;
        var otherAt = detection.Agreed?.Origins.TryGetValue(field.Name, out var origin) == true ? origin.ChangedAt : null;
        if (incoming.UpdatedAt is { } incomingAt && otherAt is { } changedAt)
        {
            return incomingAt >= changedAt
                ? new FieldDecision(field.Name, incoming.Side, $"most recent change, {incomingAt:O}")
                : new FieldDecision(field.Name, incoming.Side.Other(), $"most recent change, {changedAt:O}");
        }
        return new FieldDecision(field.Name, incoming.Side, "most recent arrival (a change time is unknown)");
    }
}
