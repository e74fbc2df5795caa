using System.Text.Json;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Conflicts;

/// <summary>
/// What a <c>conflict</c> dead letter carries for a person to decide on: for each customer of the message that needs
/// review, every tracked field with its base, platform and 1C values, the conflicting ones marked. Kept in the dead
/// letter's facts as JSON under <see cref="FactKey"/>; <c>dlq show</c> prints it as a table.
/// </summary>
public sealed record ConflictReport
{
    public const string FactKey = "conflict";

    public required string Entity { get; init; }

    /// <summary>The side the message came from (platform or onec).</summary>
    public required string Side { get; init; }

    public required string Strategy { get; init; }

    public required IReadOnlyList<ConflictCase> Cases { get; init; }

    /// <summary>Conflicting fields no strategy settles by itself: each needs a side at replay.</summary>
    public IReadOnlyList<string> FieldsNeedingChoice =>
        Cases.SelectMany(c => c.Fields).Where(f => f.Conflicting && f.Suggested is null).Select(f => f.Field).Distinct(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> ConflictingFields =>
        Cases.SelectMany(c => c.Fields).Where(f => f.Conflicting).Select(f => f.Field).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The dead letter's one-line error message.</summary>
    public string Describe()
    {
        var keys = string.Join(", ", Cases.Select(c => c.EntityKey));
        var fields = string.Join(", ", Cases.SelectMany(c => c.Fields).Where(f => f.Conflicting)
            .Select(f => $"{f.Field} ({f.Severity})").Distinct(StringComparer.Ordinal));
        return $"{keys} changed on both sides: {fields}; {Strategy} leaves it to a person: dlq replay <id> --take platform|onec";
    }

    public static ConflictReport? From(DeadLetter deadLetter) =>
        deadLetter.Facts.TryGetValue(FactKey, out var json) ? RouterJson.Deserialize<ConflictReport>(json) : null;

    public string ToJson() => RouterJson.Serialize(this);

    public static ConflictReport For(ConflictPolicy policy, IReadOnlyList<ConflictCase> cases) => new()
    {
        Entity = policy.Entity,
        Side = policy.Side.Name(),
        Strategy = policy.Strategy.Name(),
        Cases = cases,
    };
}

/// <summary>One entity of the message under review.</summary>
public sealed record ConflictCase
{
    public required string Key { get; init; }

    public required string EntityKey { get; init; }

    /// <summary>The id of the envelope the route's steps made for this entity.</summary>
    public required string MessageId { get; init; }

    /// <summary>When the incoming side changed it (its <c>updatedAt</c>).</summary>
    public DateTimeOffset? IncomingUpdatedAt { get; init; }

    /// <summary>What the base column is: the version the incoming side made its change from.</summary>
    public required string Base { get; init; }

    public required IReadOnlyList<ConflictField> Fields { get; init; }

    public static ConflictCase From(string key, string entityKey, string messageId, Detection detection, ConflictStrategy strategy)
    {
        var side = detection.Incoming.Side;
        return new ConflictCase
        {
            Key = key,
            EntityKey = entityKey,
            MessageId = messageId,
            IncomingUpdatedAt = detection.Incoming.UpdatedAt,
            Base = detection.Ancestor is { } a
                ? $"{(a.Kind == SideVersionKind.Seen ? $"last version from {side.Label()}" : $"last version sent to {side.Label()}")} ({a.At:O})"
                : "the agreed version",
            Fields = detection.Fields.Select(f => new ConflictField
            {
                Field = f.Name,
                Severity = f.Field.Severity.Name(),
                Base = f.Base,
                Platform = side == SyncSide.Platform ? f.Incoming : f.Other,
                Onec = side == SyncSide.Onec ? f.Incoming : f.Other,
                Conflicting = f.Conflicting,
                Suggested = f.Conflicting ? ConflictResolver.Automatic(strategy, f, detection)?.Winner.Name() : null,
            }).ToList(),
        };
    }
}

/// <summary>A row of the table: a field's base, platform and 1C values; <see cref="Suggested"/> is the side the strategy would take by itself.</summary>
public sealed record ConflictField
{
    public required string Field { get; init; }
    public required string Severity { get; init; }
    public JsonElement? Base { get; init; }
    public JsonElement? Platform { get; init; }
    public JsonElement? Onec { get; init; }
    public bool Conflicting { get; init; }
    public string? Suggested { get; init; }
}
