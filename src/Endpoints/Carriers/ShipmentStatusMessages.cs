using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;

namespace Router.Endpoints.Carriers;

/// <summary>
/// A carrier's news about a shipment as the <c>shipment.status-changed</c> message routes read from the carrier's
/// endpoint: the same shape whether it came from a delivery's reply, a webhook or a poll. The message id is
/// <c>&lt;carrier&gt;:&lt;carrier's id&gt;:&lt;status code&gt;</c>, so the same status heard twice (webhook and poll, a
/// redelivered create) is an inbox duplicate.
/// </summary>
public static class ShipmentStatusMessages
{
    public static string MessageId(string carrier, string carrierOrderId, string code) => $"{carrier}:{carrierOrderId}:{code.Trim()}";

    public static InboundMessage Create(string carrierOrderId, ShipmentStatus status, string origin)
    {
        var id = MessageId(status.Carrier, carrierOrderId, status.CarrierCode);
        return new InboundMessage
        {
            Payload = RouterJson.ToElement(status),
            MessageId = id,
            FallbackMessageId = id,
            Type = MessageTypes.ShipmentStatusChanged,
            EntityKey = "order:" + status.OrderNumber,
            OccurredAt = status.ChangedAt == default ? null : status.ChangedAt,
            Origin = origin,
        };
    }
}
