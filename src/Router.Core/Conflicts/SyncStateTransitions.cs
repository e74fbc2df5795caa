using System.Text.Json;

namespace Router.Core.Conflicts;

/// <summary>How what the router knows of an entity moves on when a version has been resolved.</summary>
public static class SyncStateTransitions
{
    /// <summary>
    /// The state after the incoming version of <paramref name="detection"/> was resolved as <paramref name="resolution"/>:
    /// the incoming side's history gains the version seen from it; the resolved version becomes the agreed one; and,
    /// when it is sent on (<paramref name="sentPayloadHash"/> not null), the other side's history gains it as sent.
    /// </summary>
    public static SyncState Record(SyncState? state, Detection detection, Resolution resolution, string? sentPayloadHash, DateTimeOffset now)
    {
        var incoming = detection.Incoming;
        var agreedFields = Present(resolution.Fields);
        var origins = new Dictionary<string, FieldOrigin>(detection.Agreed?.Origins ?? new Dictionary<string, FieldOrigin>(), StringComparer.Ordinal);
        foreach (var field in resolution.Fields)
        {
            // Only a change the incoming side made moves a field's origin; an echo of the agreed value keeps who set it.
            var changed = detection.FirstSight || detection.Fields.First(f => f.Name == field.Field).IncomingChanged;
            if (field.TakenFromIncoming && changed)
            {
                origins[field.Field] = new FieldOrigin(incoming.Side, incoming.UpdatedAt);
            }
        }
        var next = (state ?? new SyncState()) with
        {
            Agreed = new AgreedVersion { Fields = agreedFields, Origins = origins, RecordedAt = now },
        };
        next = next.WithHistory(incoming.Side, new SideVersion
        {
            Kind = SideVersionKind.Seen,
            Fields = incoming.Fields,
            UpdatedAt = incoming.UpdatedAt,
            RecordedAt = now,
            MessageId = incoming.MessageId,
        });
        if (sentPayloadHash is not null)
        {
            next = next.WithHistory(incoming.Side.Other(), new SideVersion
            {
                Kind = SideVersionKind.Sent,
                Fields = agreedFields,
                RecordedAt = now,
                MessageId = incoming.MessageId,
                PayloadHash = sentPayloadHash,
            });
        }
        return next;
    }

    private static Dictionary<string, JsonElement> Present(IReadOnlyList<ResolvedField> fields) =>
        fields.Where(f => !FieldValues.IsEmpty(f.Value)).ToDictionary(f => f.Field, f => f.Value!.Value, StringComparer.Ordinal);
}
