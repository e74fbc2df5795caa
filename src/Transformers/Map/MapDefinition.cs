using Router.Core.Expressions;

namespace Router.Transformers.Map;

/// <summary>A map step's options, read and compiled once when the route is built.</summary>
internal sealed record MapDefinition(IReadOnlyList<FieldRule> Fields)
{
    /// <summary>The output envelope's type; the input's when not set.</summary>
    public string? Type { get; init; }

    /// <summary>Evaluated over the mapped payload, so it can use the output's field names.</summary>
    public MessageExpression? EntityKey { get; init; }

    /// <summary>Evaluated over the mapped payload; an integer or a date-time.</summary>
    public MessageExpression? EntityVersion { get; init; }

    /// <summary>Writes missing optional values as null instead of leaving them out.</summary>
    public bool KeepNulls { get; init; }
}
