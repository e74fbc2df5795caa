using Router.Core.Config.Nodes;
using Router.Core.Conflicts;

namespace Router.Core.Config.Model;

public sealed record RouteDefinition
{
    public required string Id { get; init; }
    public string? Description { get; init; }

    /// <summary>The inbound endpoint feeding this route.</summary>
    public required string From { get; init; }

    /// <summary>Envelope type given to messages the source does not type; defaults to the endpoint's <c>type</c>.</summary>
    public string? MessageType { get; init; }

    /// <summary>Expression for the message id (senders number their operations); overrides the endpoint's.</summary>
    public string? MessageId { get; init; }

    /// <summary>Expression for the entity key (e.g. <c>'order:' + $.number</c>); overrides the endpoint's.</summary>
    public string? EntityKey { get; init; }

    public OrderingDefinition? Ordering { get; init; }

    /// <summary>This route carries one side of a two-way sync; conflicts with the other side are settled as it says.</summary>
    public ConflictsDefinition? Conflicts { get; init; }

    /// <summary>What the steps produce may be a full snapshot of an entity set; keys that drop out of it are deactivated.</summary>
    public FullSnapshotDefinition? FullSnapshot { get; init; }

    public int? Parallelism { get; init; }

    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    public IReadOnlyList<DestinationDefinition> To { get; init; } = [];

    public SourceMark Mark { get; init; } = SourceMark.None;
}

/// <summary><c>ordering: { key, version }</c>: both are expressions over the payload.</summary>
public sealed record OrderingDefinition(string Key, string Version);

/// <summary>
/// <c>conflicts: { side, key, strategy, fields, entity, updatedAt }</c>. <see cref="Key"/> and <see cref="UpdatedAt"/> are
/// expressions over what the route's steps produce (the canonical customer), not over the raw input.
/// </summary>
public sealed record ConflictsDefinition(string Key, string UpdatedAt, ConflictPolicy Policy)
{
    public const string DefaultUpdatedAt = "$.updatedAt";
}

/// <summary>
/// <c>fullSnapshot: { when, key, entity }</c>: outputs for which <see cref="When"/> holds together list every entity
/// there is; <see cref="Key"/> names each one. Routes naming the same <see cref="Entity"/> share the remembered key set.
/// </summary>
public sealed record FullSnapshotDefinition(string When, string Key, string Entity);

/// <summary>One route step: the transformer's name and its options node.</summary>
public sealed record StepDefinition(string Transformer, ConfigNode Options, SourceMark Mark);

/// <summary>One leg: deliver to <see cref="Endpoint"/> when the optional <see cref="When"/> expression holds.</summary>
public sealed record DestinationDefinition(string Endpoint, string? When, SourceMark Mark);
