using System.Globalization;
using System.Text.Json;
using Rebus.Messages;

namespace Router.Transport.Sqlite.Messages;

/// <summary>A row this process holds a lease on: it may complete or release the row only while the token still matches.</summary>
internal sealed record LeasedMessage(long Id, string Queue, string LeaseToken, long DeliveryCount, long? ExpiresAt, string Headers, byte[] Body)
{
    public bool HasExpired(long nowMs) => ExpiresAt is { } expiresAt && expiresAt <= nowMs;

    /// <summary>A fresh message per hand-out: Rebus's pipeline edits headers of what it receives.</summary>
    public TransportMessage ToTransportMessage()
    {
        var headers = DecodeHeaders();
        headers[Rebus.Messages.Headers.DeliveryCount] = DeliveryCount.ToString(CultureInfo.InvariantCulture);
        return new TransportMessage(headers, Body);
    }

    /// <summary>
    /// A row whose headers are not JSON (edited by hand) still goes through Rebus, which fails to handle it and moves
    /// it to the error queue — rather than failing every receive and coming back for ever.
    /// </summary>
    private Dictionary<string, string> DecodeHeaders()
    {
        try
        {
            return HeaderCodec.Decode(Headers);
        }
        catch (JsonException e)
        {
            return new Dictionary<string, string>
            {
                [Rebus.Messages.Headers.MessageId] = $"sqlite-transport-row-{Id}",
                [UnreadableHeadersHeader] = e.Message,
            };
        }
    }

    public const string UnreadableHeadersHeader = "sqlite-transport-unreadable-headers";
}
