using System.Globalization;
using Rebus.Messages;

namespace Router.Transport.Common.Deferral;

/// <summary>
/// Deferral without a timeout manager. Rebus addresses every deferred message (bus.Defer, bus.DeferLocal,
/// bus.Advanced.TransportMessage.Defer) to the timeout manager's address — the sender's own queue, or the configured
/// external one — and names the real destination in <c>rbs2-defer-recipient</c>. Our transports read both and hold
/// the message until it is due themselves: SQLite stores the row with visible_at = the due time, RabbitMQ parks it in
/// a delay queue that dead-letters it to the recipient.
/// </summary>
public static class NativeDeferral
{
    /// <summary>
    /// The timeout-manager address given to one-way clients: Rebus insists on having one before it lets them defer,
    /// and nothing is ever stored under it because deferred messages go to their recipient.
    /// </summary>
    public const string TimeoutManagerAddress = "router-transport-native-deferral";

    /// <summary>
    /// When <paramref name="headers"/> ask for deferral, removes <c>rbs2-deferred-until</c> (as Rebus's own timeout
    /// manager does, so the message is not deferred again when it is received) and returns the recipient queue and due time.
    /// </summary>
    public static bool TryTakeDeferral(Dictionary<string, string> headers, string destinationAddress, out string recipient, out DateTimeOffset dueTime)
    {
        if (!headers.Remove(Headers.DeferredUntil, out var deferredUntil))
        {
            recipient = destinationAddress;
            dueTime = default;
            return false;
        }
        if (!DateTimeOffset.TryParse(deferredUntil, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out dueTime))
        {
            throw new FormatException($"the '{Headers.DeferredUntil}' header '{deferredUntil}' is not a date and time");
        }
        recipient = headers.TryGetValue(Headers.DeferredRecipient, out var named) && !string.IsNullOrWhiteSpace(named)
            ? named
            : destinationAddress;
        if (recipient == TimeoutManagerAddress)
        {
            throw new InvalidOperationException(
                $"a deferred message needs a '{Headers.DeferredRecipient}' header naming its queue (route the message type or set the header)");
        }
        return true;
    }
}
