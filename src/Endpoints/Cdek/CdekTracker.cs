using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Stores;
using Router.Endpoints.Carriers;

namespace Router.Endpoints.Cdek;

/// <summary>
/// Keeps the endpoint's records of CDEK orders and turns CDEK's statuses into <c>shipment.status-changed</c>
/// messages; shared by the delivery side (create, cancel), the webhook and the poller so they agree on both.
/// </summary>
public sealed class CdekTracker
{
    public const string Carrier = "cdek";

    private readonly string endpointId;
    private readonly EndpointServices services;
    private readonly TimeSpan poll;

    public CdekTracker(string endpointId, EndpointServices services, TimeSpan poll)
    {
        this.endpointId = endpointId;
        this.services = services;
        this.poll = poll;
    }

    public IPartnerRecordStore Records => services.Records;

    public Task<PartnerRecord?> GetAsync(string orderNumber, CancellationToken cancellationToken) =>
        services.Records.GetAsync(endpointId, orderNumber, cancellationToken);

    /// <summary>Claims the order number before the create goes out; returns the existing record if one was there.</summary>
    public Task<PartnerRecord?> ClaimAsync(string orderNumber, CancellationToken cancellationToken) =>
        services.Records.TryInsertAsync(new PartnerRecord(endpointId, orderNumber, CdekOrderRecord.Claimed, new CdekOrderRecord().ToJson(), services.Clock.GetUtcNow()), cancellationToken);

    /// <summary>Stores what is now known; orders in non-final states become due for polling.</summary>
    public Task SaveAsync(string orderNumber, string status, CdekOrderRecord data, CancellationToken cancellationToken)
    {
        var now = services.Clock.GetUtcNow();
        DateTimeOffset? due = status == CdekOrderRecord.Tracking && !CdekStatusCodes.IsFinal(data.LastCode) ? now + poll : null;
        var stored = status == CdekOrderRecord.Tracking && CdekStatusCodes.IsFinal(data.LastCode) ? CdekOrderRecord.Final : status;
        return services.Records.UpsertAsync(new PartnerRecord(endpointId, orderNumber, stored, data.ToJson(), now, due), cancellationToken);
    }

    public static ShipmentStatus StatusOf(string orderNumber, CdekOrderEntity entity, CdekStatusEntry status) => new()
    {
        OrderNumber = orderNumber,
        Carrier = Carrier,
        State = CdekStatusCodes.StateOf(status.Code),
        CarrierCode = status.NormalisedCode,
        CarrierName = status.Name,
        TrackingNumber = entity.CdekNumber,
        ChangedAt = status.At ?? default,
        City = status.City,
    };

    public static InboundMessage Message(string uuid, ShipmentStatus status, string origin) => ShipmentStatusMessages.Create(uuid, status, origin);

    /// <summary>The statuses in <paramref name="entity"/>'s history after <paramref name="lastCode"/> (all of them when it is not there).</summary>
    public static IReadOnlyList<CdekStatusEntry> Unseen(CdekOrderEntity entity, string? lastCode)
    {
        var history = entity.History;
        if (lastCode is null)
        {
            return history;
        }
        var index = history.ToList().FindLastIndex(s => s.NormalisedCode == CdekStatusCodes.Normalise(lastCode));
        return index < 0 ? history : history.Skip(index + 1).ToList();
    }
}
