namespace Router.Core.Stores;

/// <summary>Last applied version per (scope, entity key): older versions arriving later are stale.</summary>
public interface IEntityVersionStore
{
    Task<long?> GetAsync(string scope, string entityKey, CancellationToken cancellationToken);
}

/// <summary>A message held back because an earlier message of the same entity sits in the dead-letter store.</summary>
public sealed record ParkedMessage
{
    public long Id { get; init; }
    public required string Route { get; init; }
    public required string EntityKey { get; init; }
    public required string MessageId { get; init; }
    public required DateTimeOffset ParkedAt { get; init; }
    public required string EnvelopeJson { get; init; }
}

public interface IParkingStore
{
    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<ParkedMessage>> ListAsync(string route, string entityKey, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
