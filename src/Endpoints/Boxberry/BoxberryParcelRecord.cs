using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Endpoints.Carriers;

namespace Router.Endpoints.Boxberry;

/// <summary>What the endpoint remembers about one parcel, keyed by the shop's order_id: its track and the last status seen.</summary>
public sealed record BoxberryParcelRecord
{
    public const string Claimed = "claimed";
    public const string Tracking = "tracking";
    public const string Final = "final";

    public string? Track { get; init; }
    public string? LastStatus { get; init; }
    public string? LastDate { get; init; }

    public static BoxberryParcelRecord From(PartnerRecord? record)
    {
        if (record is null || string.IsNullOrWhiteSpace(record.DataJson))
        {
            return new BoxberryParcelRecord();
        }
        try
        {
            return JsonSerializer.Deserialize<BoxberryParcelRecord>(record.DataJson, RouterJson.Options) ?? new BoxberryParcelRecord();
        }
        catch (JsonException)
        {
            return new BoxberryParcelRecord();
        }
    }

    public string ToJson() => RouterJson.Serialize(this);
}

/// <summary>Boxberry's statuses as <c>shipment.status-changed</c>, and the records that keep polling at most hourly per parcel.</summary>
public sealed class BoxberryTracker
{
    public const string Carrier = "boxberry";

    private readonly string endpointId;
    private readonly EndpointServices services;
    private readonly TimeSpan statusInterval;

    public BoxberryTracker(string endpointId, EndpointServices services, TimeSpan statusInterval)
    {
        this.endpointId = endpointId;
        this.services = services;
        this.statusInterval = statusInterval;
    }

    public Task<PartnerRecord?> GetAsync(string orderId, CancellationToken cancellationToken) => services.Records.GetAsync(endpointId, orderId, cancellationToken);

    public Task<PartnerRecord?> ClaimAsync(string orderId, CancellationToken cancellationToken) =>
        services.Records.TryInsertAsync(new PartnerRecord(endpointId, orderId, BoxberryParcelRecord.Claimed, new BoxberryParcelRecord().ToJson(), services.Clock.GetUtcNow()), cancellationToken);

    public Task SaveAsync(string orderId, BoxberryParcelRecord data, CancellationToken cancellationToken)
    {
        var now = services.Clock.GetUtcNow();
        var final = BoxberryStatuses.IsFinal(data.LastStatus);
        return services.Records.UpsertAsync(new PartnerRecord(endpointId, orderId, final ? BoxberryParcelRecord.Final : BoxberryParcelRecord.Tracking, data.ToJson(), now,
            final ? null : now + statusInterval), cancellationToken);
    }

    public static InboundMessage Message(string orderId, string? track, BoxberryStatus status, string origin) =>
        ShipmentStatusMessages.Create(orderId, new ShipmentStatus
        {
            OrderNumber = orderId,
            Carrier = Carrier,
            State = BoxberryStatuses.StateOf(status.Name),
            CarrierCode = (status.Name ?? "").Trim(),
            CarrierName = string.IsNullOrWhiteSpace(status.Comment) ? status.Name : $"{status.Name}: {status.Comment}",
            TrackingNumber = track,
            ChangedAt = status.At ?? default,
        }, origin);

    /// <summary>Statuses after the last one seen (by name and date), oldest first.</summary>
    public static IReadOnlyList<BoxberryStatus> Unseen(IReadOnlyList<BoxberryStatus> statuses, BoxberryParcelRecord known)
    {
        var ordered = statuses.Select((s, i) => (s, i)).OrderBy(p => p.s.At ?? DateTimeOffset.MinValue).ThenBy(p => p.i).Select(p => p.s).ToList();
        if (known.LastStatus is null)
        {
            return ordered;
        }
        var index = ordered.FindLastIndex(s => BoxberryStatuses.Normalise(s.Name) == BoxberryStatuses.Normalise(known.LastStatus) && (known.LastDate is null || s.Date == known.LastDate));
        return index < 0 ? ordered : ordered.Skip(index + 1).ToList();
    }
}
