using Rebus.Messages;

namespace Router.Transport.RabbitMq.Receiving;

/// <summary>A message the broker pushed to our consumer, not yet acknowledged; only its own session can acknowledge it.</summary>
internal sealed class Delivery(ConsumerSession session, ulong deliveryTag, Dictionary<string, string> headers, byte[] body, long? expiresAtMs)
{
    public ConsumerSession Session { get; } = session;

    public ulong DeliveryTag { get; } = deliveryTag;

    public string? MessageId => headers.GetValueOrDefault(Headers.MessageId);

    public bool HasExpired(long nowMs) => expiresAtMs is { } expiresAt && nowMs >= expiresAt;

    public TransportMessage ToTransportMessage() => new(headers, body);
}
