using System.Text.Json;

namespace Router.Core.Conflicts;

/// <summary>A version of the entity arriving from one side.</summary>
public sealed record IncomingVersion(SyncSide Side, string MessageId, IReadOnlyDictionary<string, JsonElement> Fields, DateTimeOffset? UpdatedAt);

/// <summary>
/// One tracked field, three ways: its value in the version the incoming change was made from (<see cref="Base"/>),
/// in the incoming version, and the agreed value the other side has or has been sent (<see cref="Other"/>).
/// </summary>
public sealed record FieldComparison(TrackedField Field, JsonElement? Base, JsonElement? Incoming, JsonElement? Other, bool IncomingChanged, bool OtherChanged)
{
    /// <summary>Both sides changed the field since the base, to different values.</summary>
    public bool Conflicting => IncomingChanged && OtherChanged && !FieldValues.Same(Field.Name, Incoming, Other);

    public string Name => Field.Name;
}

public sealed record Detection(IncomingVersion Incoming, SideVersion? Ancestor, AgreedVersion? Agreed, IReadOnlyList<FieldComparison> Fields)
{
    /// <summary>Nothing was known of the entity: the incoming version is taken as it is.</summary>
    public bool FirstSight => Agreed is null;

    public IReadOnlyList<FieldComparison> Conflicts => Fields.Where(f => f.Conflicting).ToList();
}

/// <summary>
/// Three-way detection. The base of an incoming version is not simply the last agreed version: when 1C edits a
/// customer while the platform's edit of the same customer is on its way to 1C, the platform's edit is already agreed
/// by the time 1C's arrives, and comparing with it would hide the clash. So the base is the version the incoming side
/// had when it made its change: the latest of its history (versions seen from it, versions sent to it) not newer than
/// the incoming version's <c>updatedAt</c>. The other side changed a field if the agreed value differs from that base.
/// </summary>
public static class ConflictDetector
{
    public static Detection Detect(SyncState? state, IncomingVersion incoming, IReadOnlyList<TrackedField> fields)
    {
        if (state?.Agreed is not { } agreed)
        {
            return new Detection(incoming, null, null, fields
                .Select(f => new FieldComparison(f, null, Value(incoming.Fields, f.Name), null, IncomingChanged: true, OtherChanged: false))
                .ToList());
        }
        var ancestor = Ancestor(state, incoming);
        var baseFields = ancestor?.Fields ?? agreed.Fields;
        var comparisons = fields.Select(f =>
        {
            var before = Value(baseFields, f.Name);
            var now = Value(incoming.Fields, f.Name);
            var other = Value(agreed.Fields, f.Name);
            return new FieldComparison(f, before, now, other,
                IncomingChanged: !FieldValues.Same(f.Name, before, now),
                OtherChanged: !FieldValues.Same(f.Name, before, other));
        }).ToList();
        return new Detection(incoming, ancestor, agreed, comparisons);
    }

    /// <summary>
    /// The version the incoming side made its change from. With an <c>updatedAt</c>: the latest of its history not
    /// newer than it, or, for a change older than everything kept, the oldest (so the other side's later changes count
    /// as concurrent: a person sees a doubtful case rather than losing an edit). Without one: the side's own last
    /// version, since the router cannot tell whether what it sent had arrived.
    /// </summary>
    public static SideVersion? Ancestor(SyncState state, IncomingVersion incoming)
    {
        var history = state.HistoryOf(incoming.Side);
        if (history.Count == 0)
        {
            return null;
        }
        if (incoming.UpdatedAt is { } madeAt)
        {
            SideVersion? latest = null;
            foreach (var version in history)
            {
                // Later in the history wins a tie: it was recorded after.
                if (version.At <= madeAt && (latest is null || version.At >= latest.At))
                {
                    latest = version;
                }
            }
            return latest ?? history[0];
        }
        return history.LastOrDefault(v => v.Kind == SideVersionKind.Seen) ?? history[^1];
    }

    private static JsonElement? Value(IReadOnlyDictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;
}
