using System.Globalization;
using Rebus.Messages;

namespace Router.Transport.RabbitMq.Deferral;

/// <summary>
/// Rebus addresses every deferred message to the timeout manager's address (the sender's own queue, or the one a
/// one-way client is given) and names the real destination in <c>rbs2-defer-recipient</c>. The transport sends it to
/// a delay queue instead, from which the broker moves it to the recipient when due.
/// </summary>
internal static class NativeDeferral
{
    /// <summary>
    /// The timeout-manager address given to one-way clients: Rebus insists on one before it lets them defer, and
    /// nothing is ever sent to it because deferred messages go to their recipient.
    /// </summary>
    public const string TimeoutManagerAddress = "rabbitmq-transport-native-deferral";

    /// <summary>
    /// When <paramref name="headers"/> ask for deferral, removes <c>rbs2-deferred-until</c> (so the message is not
    /// deferred again when received, as with Rebus's own timeout manager) and returns the recipient and due time.
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
        if (recipient.Contains('@'))
        {
            throw new NotSupportedException($"cannot defer a message to '{recipient}': deferred messages go to queues, not to exchanges");
        }
        return true;
    }
}
