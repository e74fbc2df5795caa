namespace Router.Transport.RabbitMq.Connections;

/// <summary>The broker cannot be reached (or a connection to it cannot be opened); a transient condition.</summary>
public sealed class RabbitMqUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
