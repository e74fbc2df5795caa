namespace Router.Transport.RabbitMq;

/// <summary>
/// Messages were not accepted by the broker: a negative confirm, a confirm that did not come in time, a mandatory
/// publish the broker returned as unroutable, or a channel that closed before confirming. Thrown from the commit, so
/// Rebus rolls the transaction back and nothing counts as sent.
/// </summary>
public sealed class RabbitMqPublishException(string message, Exception? inner = null) : Exception(message, inner);
