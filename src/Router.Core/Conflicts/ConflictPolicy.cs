namespace Router.Core.Conflicts;

/// <summary>A field of the entity that conflict detection compares, and how much it matters.</summary>
public sealed record TrackedField(string Name, FieldSeverity Severity);

/// <summary>
/// A route's <c>conflicts:</c> option, bound: which side the route's messages come from, which entity they are
/// about (routes naming the same entity share what the router knows of it) and how conflicts are settled.
/// </summary>
public sealed record ConflictPolicy
{
    public const string DefaultEntity = "customer";

    /// <summary>The canonical customer's fields, for routes that do not list their own.</summary>
    public static readonly IReadOnlyList<TrackedField> DefaultFields =
    [
        new("email", FieldSeverity.Critical),
        new("inn", FieldSeverity.Critical),
        new("companyName", FieldSeverity.Critical),
        new("phone", FieldSeverity.Warning),
        new("kpp", FieldSeverity.Warning),
        new("name", FieldSeverity.Info),
        new("address", FieldSeverity.Info),
    ];

    public string Entity { get; init; } = DefaultEntity;

    public required SyncSide Side { get; init; }

    public ConflictStrategy Strategy { get; init; } = ConflictStrategy.ManualReview;

    public IReadOnlyList<TrackedField> Fields { get; init; } = DefaultFields;

    /// <summary>The entity key dead letters and parked messages carry, e.g. <c>customer:42</c>.</summary>
    public string EntityKeyOf(string key) => $"{Entity}:{key}";
}
