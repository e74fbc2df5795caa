using System.Text.Json;

namespace Router.Core.Snapshots;

/// <summary>
/// The keys of the last full snapshot of one entity set, kept as one entity-snapshot document. Sorted (ordinal) and
/// without duplicates, so the same set always makes the same compact JSON (100,000 product ids stay a few megabytes).
/// </summary>
public sealed class SnapshotKeySet
{
    private readonly string[] keys;

    private SnapshotKeySet(string[] keys) => this.keys = keys;

    public IReadOnlyList<string> Keys => keys;

    public int Count => keys.Length;

    public static SnapshotKeySet Of(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sorted = keys.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return new SnapshotKeySet(sorted);
    }

    /// <summary>Keys of this (previous) set that <paramref name="current"/> no longer has, in key order.</summary>
    public IReadOnlyList<string> MissingFrom(SnapshotKeySet current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var present = new HashSet<string>(current.keys, StringComparer.Ordinal);
        return keys.Where(key => !present.Contains(key)).ToList();
    }

    public bool SameKeys(SnapshotKeySet other) => other is not null && keys.AsSpan().SequenceEqual(other.keys);

    public string ToJson() => JsonSerializer.Serialize(new Document(keys));

    /// <summary>Reads a stored document; a malformed one is a fault of the store, not of the message, and is not guessed around.</summary>
    public static SnapshotKeySet FromJson(string json) =>
        Of(JsonSerializer.Deserialize<Document>(json)?.Keys ?? throw new JsonException("the stored key set has no 'keys'"));

    private sealed record Document([property: System.Text.Json.Serialization.JsonPropertyName("keys")] string[] Keys);
}
