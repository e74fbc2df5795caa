using System.Text.Json;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Endpoints.YooKassa;

/// <summary>
/// The Idempotence-Key of one delivery leg. It is derived from the leg's idempotency key, so every retry, redelivery
/// and replay repeats the same key and YooKassa acts once (500: "repeat with the same key"). After a 4xx YooKassa
/// did nothing and would only replay its refusal for that key, so the refusal is recorded and the next attempt uses
/// the next generation: <c>key/2</c>, <c>key/3</c>… (the docs: "4xx — fix the request, repeat with a new key").
/// </summary>
public sealed class IdempotenceKeys
{
    /// <summary>YooKassa's documented limit.</summary>
    public const int MaxLength = 64;

    private const string RecordPrefix = "idempotence:";
    private const int LongestUsableBase = MaxLength - 8; // room for "/NNNNNNN"

    private readonly string endpointId;
    private readonly IPartnerRecordStore records;
    private readonly TimeProvider clock;

    public IdempotenceKeys(string endpointId, IPartnerRecordStore records, TimeProvider clock)
    {
        this.endpointId = endpointId;
        this.records = records;
        this.clock = clock;
    }

    /// <summary>The first-generation key: the leg's key when it fits and is plain, else a name-based GUID of it.</summary>
    public static string BaseKey(string deliveryKey) =>
        deliveryKey.Length is > 0 and <= LongestUsableBase && deliveryKey.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? deliveryKey
            : MessageIds.DeterministicGuid(deliveryKey).ToString("D");

    public static string KeyOf(string baseKey, int generation) => generation <= 1 ? baseKey : $"{baseKey}/{generation}";

    public async Task<int> GenerationAsync(string baseKey, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync(endpointId, RecordPrefix + baseKey, cancellationToken);
        return record is null ? 1 : JsonSerializer.Deserialize<Generation>(record.DataJson, RouterJson.Options)?.Value ?? 1;
    }

    /// <summary>YooKassa refused <paramref name="generation"/> with a 4xx: the next attempt uses a new key.</summary>
    public Task RetireAsync(string baseKey, int generation, string reason, CancellationToken cancellationToken) =>
        records.UpsertAsync(new PartnerRecord(endpointId, RecordPrefix + baseKey, "retired",
            RouterJson.Serialize(new Generation(generation + 1, reason)), clock.GetUtcNow()), cancellationToken);

    private sealed record Generation(int Value, string? LastRefusal);
}
