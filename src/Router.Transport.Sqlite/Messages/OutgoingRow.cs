using System.Globalization;
using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Common.Deferral;

namespace Router.Transport.Sqlite.Messages;

/// <summary>A message as it will be inserted: its queue, when it becomes visible and when it expires.</summary>
internal sealed record OutgoingRow(string Queue, long VisibleAt, long? ExpiresAt, string Headers, byte[] Body)
{
    public static OutgoingRow From(OutgoingTransportMessage outgoing, long nowMs)
    {
        // Rebus sends one TransportMessage instance to every destination of a publish: never edit its headers in place.
        var headers = new Dictionary<string, string>(outgoing.TransportMessage.Headers);
        var queue = outgoing.DestinationAddress;
        var visibleAt = nowMs;
        if (NativeDeferral.TryTakeDeferral(headers, outgoing.DestinationAddress, out var recipient, out var dueTime))
        {
            queue = recipient;
            visibleAt = Math.Max(nowMs, UnixTime.CeilingMs(dueTime));
        }
        else if (queue == NativeDeferral.TimeoutManagerAddress)
        {
            throw new InvalidOperationException(
                $"'{NativeDeferral.TimeoutManagerAddress}' only takes deferred messages (with a '{Rebus.Messages.Headers.DeferredUntil}' header)");
        }
        // The count belongs to the row, not the message: a forwarded or dead-lettered copy starts afresh.
        headers.Remove(Rebus.Messages.Headers.DeliveryCount);
        return new OutgoingRow(queue, visibleAt, ExpiryFrom(headers, nowMs), HeaderCodec.Encode(headers), outgoing.TransportMessage.Body);
    }

    private static long? ExpiryFrom(Dictionary<string, string> headers, long nowMs)
    {
        if (!headers.TryGetValue(Rebus.Messages.Headers.TimeToBeReceived, out var value))
        {
            return null;
        }
        if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var timeToBeReceived))
        {
            throw new FormatException($"the '{Rebus.Messages.Headers.TimeToBeReceived}' header '{value}' is not a time span");
        }
        return nowMs + (long)timeToBeReceived.TotalMilliseconds;
    }
}
