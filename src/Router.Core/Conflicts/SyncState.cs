using System.Text.Json;

namespace Router.Core.Conflicts;

/// <summary>
/// What the router knows of one entity (one customer) across the two sides: the version they last agreed on, and
/// each side's recent history — versions seen from it and versions sent to it — from which the version an incoming
/// change was made from (its ancestor) is found. Stored as one JSON document per entity key.
/// </summary>
public sealed record SyncState
{
    /// <summary>How many versions per side are kept: enough to find the ancestor of a change that crossed several others in flight.</summary>
    public const int HistoryLength = 8;

    /// <summary>The last resolved version: what both sides have, or have been sent. Null before the first message.</summary>
    public AgreedVersion? Agreed { get; init; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SideVersion> Platform { get; init; } = [];

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SideVersion> Onec { get; init; } = [];

    public IReadOnlyList<SideVersion> HistoryOf(SyncSide side) => side == SyncSide.Platform ? Platform : Onec;

    /// <summary>The side's history with <paramref name="version"/> appended, the oldest dropped beyond <see cref="HistoryLength"/>.</summary>
    public SyncState WithHistory(SyncSide side, SideVersion version)
    {
        IReadOnlyList<SideVersion> history = [.. HistoryOf(side).TakeLast(HistoryLength - 1), version];
        return side == SyncSide.Platform ? this with { Platform = history } : this with { Onec = history };
    }

    /// <summary>The version last sent to <paramref name="side"/>, if any is still in its history.</summary>
    public SideVersion? LastSentTo(SyncSide side) => HistoryOf(side).LastOrDefault(v => v.Kind == SideVersionKind.Sent);
}

public enum SideVersionKind
{
    /// <summary>Came from the side.</summary>
    Seen,

    /// <summary>Sent to the side by the router.</summary>
    Sent,
}

/// <summary>One version of the tracked fields in a side's history.</summary>
public sealed record SideVersion
{
    public required SideVersionKind Kind { get; init; }

    /// <summary>Tracked fields with a value.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Fields { get; init; }

    /// <summary>For a seen version, when the side says it changed (its clock); null when it did not say.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When the router recorded it (the router's clock).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    public string? MessageId { get; init; }

    /// <summary>For a sent version, the hash of the payload sent: a later identical payload has nothing new for the side.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>When the side had this version: a seen one when it changed it, a sent one when the router sent it.</summary>
    public DateTimeOffset At => Kind == SideVersionKind.Seen ? UpdatedAt ?? RecordedAt : RecordedAt;
}

/// <summary>The version both sides last agreed on, with who changed each field last and when.</summary>
public sealed record AgreedVersion
{
    public required IReadOnlyDictionary<string, JsonElement> Fields { get; init; }

    public IReadOnlyDictionary<string, FieldOrigin> Origins { get; init; } = new Dictionary<string, FieldOrigin>();

    public required DateTimeOffset RecordedAt { get; init; }
}

/// <summary>The side whose change set a field's agreed value, and when it changed it (its clock; null when unknown).</summary>
public sealed record FieldOrigin(SyncSide Side, DateTimeOffset? ChangedAt);
